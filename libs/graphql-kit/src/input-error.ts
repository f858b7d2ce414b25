import type { ValidationError } from 'class-validator';
import { DomainError } from '@headwaters/core';

/** One input field at fault and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Flattens class-validator errors into dotted field paths (`input.title`). */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      problems.push({ field: path, message: message.replace(new RegExp(`^${error.property}\\b`), path) });
    }
    problems.push(...fieldProblems(error.children ?? [], path));
  }
  return problems;
}

/** A BAD_USER_INPUT error for input that failed validation; its message names every field. */
export class InputValidationError extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('invalid', 'INVALID_INPUT', problems.map((p) => p.message).join('; ') || 'invalid input', problems[0]?.field);
  }
}
