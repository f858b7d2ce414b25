import { everyWordRequired } from './item-list.query';

describe('everyWordRequired', () => {
  it.each([
    ['live migration', true],
    ['"live migration" crash', true],
    ['xen-api timeout', true],
    ['orphaned vdi', true],
    ['live migration or suspend', false],
    ['live OR suspend', false],
    ['crash -windows', false],
    ['-"live migration" crash', false],
  ])('%s: %s', (text, expected) => {
    expect(everyWordRequired(text)).toBe(expected);
  });
});
