import { createActor } from '../actors';
import type { TestApp } from '../test-app';
import type { EvaluationReport } from './xenserver-reports';

const FILE = `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number } } }`;
const COMMENT = `mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`;

/**
 * Files each report through the API on its component (and posts its comment), as a reporter
 * would; returns each report's item number by key.
 */
export async function fileReports(app: TestApp, reports: EvaluationReport[]): Promise<Map<string, number>> {
  const reporter = await createActor(app);
  const numbers = new Map<string, number>();
  for (const report of reports) {
    const filed = await app.gql<{ fileBug: { bug: { id: string; number: number } } }>(
      FILE,
      { input: { title: report.title, description: report.description, componentSlug: report.component } },
      { token: reporter.token },
    );
    if (filed.body.errors) throw new Error(`${report.key}: ${JSON.stringify(filed.body.errors)}`);
    const bug = filed.body.data!.fileBug.bug;
    numbers.set(report.key, bug.number);
    if (report.comment) {
      const commented = await app.gql(COMMENT, { input: { itemId: bug.id, body: report.comment } }, { token: reporter.token });
      if (commented.body.errors) throw new Error(`${report.key}: ${JSON.stringify(commented.body.errors)}`);
    }
  }
  return numbers;
}
