import { unsupportedEncoding, unsupportedMediaType } from './http-compliance';

describe('unsupportedMediaType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"', 'application/json;charset=utf8'])('accepts %s', (header) => {
    expect(unsupportedMediaType(header)).toBeNull();
  });

  it.each([
    [undefined, 'Send the request as Content-Type: application/json'],
    ['text/plain', 'Content-Type text/plain is not accepted: send application/json'],
    ['application/json; charset=latin1', 'charset latin1 is not accepted: send the JSON in UTF-8'],
  ])('refuses %s, saying why', (header, problem) => {
    expect(unsupportedMediaType(header)).toBe(problem);
  });
});

describe('unsupportedEncoding', () => {
  it.each([undefined, '', 'identity', ' Identity '])('takes a body sent with %p', (header) => {
    expect(unsupportedEncoding(header)).toBeNull();
  });

  it.each(['gzip', 'br', 'deflate', 'GZIP'])('refuses %s, saying why', (header) => {
    expect(unsupportedEncoding(header)).toBe(`Content-Encoding ${header.toLowerCase()} is not accepted: send the body uncompressed`);
  });
});
