/**
 * Scoring component suggestions: a naive Bayes classifier over the words of the items triaged
 * onto each component (migration ComponentWords), with each component's own name and
 * description counted as a few reports filed there, so a component nobody filed on yet can
 * still be suggested. Pure: the evidence comes in, scores and reasons go out.
 */

/** What the words of one report say about one component. */
export interface WordEvidence {
  /** The word (a lexeme, as search indexes it). */
  word: string;
  componentId: number;
  /** Items on the component that use the word. */
  items: number;
  /** Its weight there: 3 per item with it in the title, 1 per item with it in the description only. */
  weight: number;
}

/** A word of a component's name (or slug, or package name: weight 3) or description (1). */
export interface NameEvidence {
  word: string;
  componentId: number;
  weight: number;
}

/** How much each component has learned: items and the total weight of their words. */
export interface ComponentTotals {
  componentId: number;
  items: number;
  weight: number;
}

export interface ScoringInput {
  /** The report's words, with weights (3 in the title, 1 in the description only). */
  asked: Map<string, number>;
  words: WordEvidence[];
  names: NameEvidence[];
  /** Per component, the weight of all the words of its name and description. */
  nameTotals: Map<number, number>;
  totals: ComponentTotals[];
  /** The components that may be suggested (the catalogue's active ones), with their names. */
  components: { id: number; name: string }[];
  /** How a lexeme was written in the report, for reasons; the lexeme itself otherwise. */
  spelled: Map<string, string>;
  /** How many of the best to return. */
  limit: number;
}

export interface ScoredComponent {
  componentId: number;
  /** 0 to 1: the probability the classifier gives this component, tempered. */
  score: number;
  reason: string;
}

// The constants were chosen on the evaluation set (test/component-suggestions.e2e-spec.ts; see
// bench/README.md for how they fare on halves of it they were not chosen on).
/** A component's name and description count as this many reports filed there. */
const NAME_AS_REPORTS = 8;
/** Additive smoothing of each word's count. */
const ALPHA = 1;
/** The vocabulary size the smoothing assumes. */
const VOCABULARY = 500;
/** How much a word of the report's title counts, against 1 for its description's. */
const QUERY_TITLE_WEIGHT = 2;
/**
 * A report's log-likelihoods are divided by this power of its words' weight before the softmax:
 * naive Bayes is overconfident. With it, the top score about matches how often the top is right.
 */
const TEMPER = 0.25;
/** How many words a reason names. */
const REASON_WORDS = 3;

const quote = (word: string) => `“${word}”`;

function listOf(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Scores every component for a report, best first. Words that no component has seen (in items
 * or names) are ignored; with none left, there is nothing to suggest and the list is empty.
 */
export function scoreComponents(input: ScoringInput): ScoredComponent[] {
  const known = new Set([...input.words.map((w) => w.word), ...input.names.map((n) => n.word)]);
  const asked = [...input.asked].filter(([word]) => known.has(word)).map(([word, weight]): [string, number] => [word, weight >= 3 ? QUERY_TITLE_WEIGHT : 1]);
  if (asked.length === 0 || input.components.length === 0) return [];
  const totals = new Map(input.totals.map((t) => [t.componentId, t]));
  const counts = new Map<number, Map<string, { items: number; weight: number; name: number }>>();
  const cell = (componentId: number, word: string) => {
    let byWord = counts.get(componentId);
    if (!byWord) counts.set(componentId, (byWord = new Map()));
    let c = byWord.get(word);
    if (!c) byWord.set(word, (c = { items: 0, weight: 0, name: 0 }));
    return c;
  };
  for (const w of input.words) Object.assign(cell(w.componentId, w.word), { items: w.items, weight: w.weight });
  for (const n of input.names) cell(n.componentId, n.word).name = n.weight;
  // The name's full weight counts in the denominator: every word of it, asked or not.
  const nameWeight = input.nameTotals;
  const allItems = input.components.reduce((sum, c) => sum + (totals.get(c.id)?.items ?? 0), 0);
  const askedWeight = asked.reduce((sum, [, weight]) => sum + weight, 0);

  const likelihood = (componentId: number, word: string) => {
    const c = counts.get(componentId)?.get(word);
    const total = (totals.get(componentId)?.weight ?? 0) + NAME_AS_REPORTS * (nameWeight.get(componentId) ?? 0);
    return ((c ? c.weight + NAME_AS_REPORTS * c.name : 0) + ALPHA) / (total + ALPHA * VOCABULARY);
  };
  const logScores = input.components.map((component) => {
    const prior = Math.log(((totals.get(component.id)?.items ?? 0) + 1) / (allItems + input.components.length));
    let sum = prior;
    for (const [word, weight] of asked) sum += weight * Math.log(likelihood(component.id, word));
    return sum;
  });
  const scale = Math.pow(askedWeight, TEMPER);
  const best = Math.max(...logScores);
  const exps = logScores.map((s) => Math.exp((s - best) / scale));
  const norm = exps.reduce((a, b) => a + b, 0);

  const meanCache = new Map<string, number>();
  const meanLikelihood = (word: string): number => {
    let m = meanCache.get(word);
    if (m === undefined) {
      m = input.components.reduce((sum, c) => sum + likelihood(c.id, word), 0) / input.components.length;
      meanCache.set(word, m);
    }
    return m;
  };
  return input.components
    .map((component, i) => ({ component, score: exps[i] / norm }))
    .sort((a, b) => b.score - a.score || a.component.id - b.component.id)
    .slice(0, input.limit)
    .map(({ component, score }) => ({
      componentId: component.id,
      score,
      reason: reasonFor(component, asked, counts.get(component.id), (word) => likelihood(component.id, word), meanLikelihood, input.spelled),
    }));
}

/**
 * Why, for a reporter: the report's words that point to the component more than to the others
 * (most first), how many reports filed there use each, and which are in its name or description.
 */
function reasonFor(
  component: { id: number; name: string },
  asked: [string, number][],
  counts: Map<string, { items: number; weight: number; name: number }> | undefined,
  likelihood: (word: string) => number,
  mean: (word: string) => number,
  spelled: Map<string, string>,
): string {
  const pointing = asked
    .map(([word, weight]) => ({ word, lift: weight * Math.log(likelihood(word) / mean(word)), seen: counts?.get(word) }))
    .filter((w) => w.lift > 0 && w.seen)
    .sort((a, b) => b.lift - a.lift || a.word.localeCompare(b.word))
    .slice(0, REASON_WORDS);
  if (pointing.length === 0) return `Nothing in the report points to ${component.name} in particular.`;
  const spell = (word: string) => quote(spelled.get(word) ?? word);
  const inReports = pointing.filter((w) => w.seen!.items > 0);
  const inName = pointing.filter((w) => w.seen!.name > 0).map((w) => spell(w.word));
  const parts: string[] = [];
  if (inReports.length) {
    const described = inReports.map((w) => `${spell(w.word)} (${w.seen!.items} ${w.seen!.items === 1 ? 'report' : 'reports'})`);
    parts.push(`Reports filed on ${component.name} mention ${listOf(described)}`);
  }
  if (inName.length) parts.push(`${inReports.length ? 'its' : `${component.name}'s`} name or description says ${listOf(inName)}`);
  return `${parts.join('; ')}.`;
}
