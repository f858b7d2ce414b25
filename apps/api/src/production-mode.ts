/**
 * Imported first by the served process: unless NODE_ENV says otherwise, the libraries take their
 * production paths. The one that reads it is graphql-js: in development it checks, on every
 * `instanceof` of its types (each field of each answer), whether the value comes from a second
 * copy of graphql, to explain the mistake; with one copy installed (a test sees to it), that
 * check only costs time. Tests load the modules themselves and keep the development checks.
 */
process.env.NODE_ENV ??= 'production';

export {};
