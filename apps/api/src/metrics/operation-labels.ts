/** The label of a request whose document never parsed or validated, or that was refused before. */
export const UNKNOWN_OPERATION = 'unknown';
/** The label of an operation without a name. */
export const UNNAMED_OPERATION = 'unnamed';
/** The label of every name seen after the first `max` distinct ones. */
export const OTHER_OPERATION = 'other';
/** The label of a batched request (a JSON array of operations). */
export const BATCH_OPERATION = 'batch';

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Operation names as metric labels, bounded: the first `max` distinct names (of documents that
 * validated) keep their own series; every later new name is `other`, so a client inventing names
 * cannot grow the metrics without end.
 */
export class OperationLabels {
  private readonly known = new Set<string>();

  constructor(private readonly max: number) {}

  label(name: string | undefined): string {
    if (name === undefined || name === '') return UNNAMED_OPERATION;
    if (this.known.has(name)) return name;
    if (this.known.size >= this.max || !NAME.test(name)) return OTHER_OPERATION;
    this.known.add(name);
    return name;
  }
}
