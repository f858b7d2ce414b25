/** Injection token of the worker's pino logger. */
export const WORKER_LOGGER = Symbol('WorkerLogger');
