import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('localhost');
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.QUERY_MAX_DEPTH).toBe(15);
  });

  it('reads numbers, booleans and strings', () => {
    const config = loadConfig({ PORT: '4000', HOST: '127.0.0.1', GRAPHIQL: 'false', DATA_DIR: 'var/headwaters', DATABASE_URL: 'postgres://u@h/db' });
    expect(config).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', GRAPHIQL: false, DATA_DIR: 'var/headwaters', DATABASE_URL: 'postgres://u@h/db' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['TRACKER_ADMIN_PASSWORD', 'short'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});

describe('HEADWATERS_ROLE', () => {
  it('runs everything in one process by default, and takes api or worker', () => {
    expect(loadConfig({}).HEADWATERS_ROLE).toBe('all');
    expect(loadConfig({ HEADWATERS_ROLE: 'api' }).HEADWATERS_ROLE).toBe('api');
    expect(loadConfig({ HEADWATERS_ROLE: 'worker' }).HEADWATERS_ROLE).toBe('worker');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ HEADWATERS_ROLE: 'both' })).toThrow(/HEADWATERS_ROLE=/);
  });
});

describe('metrics and tracing settings', () => {
  it('serves metrics openly by default and traces nothing', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ METRICS: true, METRICS_MAX_OPERATIONS: 200, OTEL_SERVICE_NAME: 'headwaters' });
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('reads a token, a cap and a collector', () => {
    expect(loadConfig({ METRICS: 'off', METRICS_TOKEN: 'a-scraping-token-of-32-characters', METRICS_MAX_OPERATIONS: '50', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({
      METRICS: false, METRICS_TOKEN: 'a-scraping-token-of-32-characters', METRICS_MAX_OPERATIONS: 50, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
  });

  it.each([
    ['METRICS_TOKEN', 'short'],
    ['METRICS_MAX_OPERATIONS', '0'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});
