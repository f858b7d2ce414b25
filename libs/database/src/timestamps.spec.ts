import { types } from 'pg';
import { parseTimestamptz } from './timestamps';

const pgParser = types.getTypeParser(1184, 'text');

describe('parseTimestamptz', () => {
  const texts = [
    '2026-11-25 22:41:25.906899+00',
    '2026-11-25 22:41:25+00',
    '2026-11-25 22:41:25.1+05:30',
    '2026-11-25 22:41:25.12-08',
    '2026-02-28 23:59:59.999999+14',
    '1970-01-01 00:00:00+00',
    '1969-12-31 23:59:59.5-03:30',
    '2000-02-29 12:00:00.000001+00',
    '1000-01-01 00:00:00+00',
    '9999-12-31 23:59:59.999999+00',
  ];

  it.each(texts)('reads %s as pg does', (text) => {
    const ours = parseTimestamptz(text);
    expect(ours).toBeInstanceOf(Date);
    expect((ours as Date).getTime()).toBe((pgParser(text) as Date).getTime());
  });

  it.each(['0001-01-01 00:00:00+00', '0999-12-31 23:59:59+00', '0044-03-15 12:00:00+00 BC', 'infinity', '-infinity', '12345-01-01 00:00:00+00', '2026-11-25 22:41:25+05:53:28'])('leaves %s to pg', (text) => {
    const ours = parseTimestamptz(text);
    const theirs = pgParser(text);
    if (theirs instanceof Date) expect((ours as Date).getTime()).toBe(theirs.getTime());
    else expect(ours).toEqual(theirs);
  });
});
