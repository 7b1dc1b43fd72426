import { expect } from 'vitest';
import type { Measure, MeasureSchedule, MeasureTemplate } from '@therapy-field/sync';
import type { ApiRequest } from './http.js';
import type { Account } from './scheduling.js';

/** Items and the highest answer of each measure, as the 1.0 templates have them. */
export const measureShape: Record<Measure, { items: number; max: number }> = {
  'PHQ-9': { items: 9, max: 3 },
  'GAD-7': { items: 7, max: 3 },
  'WHO-5': { items: 5, max: 5 },
};

/**
 * Answers summing to `score`, filled from the first item on; PHQ-9's item 9 (the risk item) stays 0
 * unless the score needs it or `item9` sets it (then counted in the score).
 */
export function answersFor(measure: Measure, score: number, item9 = 0): number[] {
  const { items, max } = measureShape[measure];
  const answers = Array<number>(items).fill(0);
  let left = score;
  if (measure === 'PHQ-9') {
    answers[8] = item9;
    left -= item9;
  }
  for (let i = 0; i < items && left > 0; i += 1) {
    if (measure === 'PHQ-9' && i === 8) continue;
    answers[i] = Math.min(max, left);
    left -= answers[i]!;
  }
  if (measure === 'PHQ-9' && left > 0) answers[8] = item9 + left;
  expect(answers.reduce((sum, value) => sum + value, 0)).toBe(score);
  return answers;
}

export async function currentTemplates(api: ApiRequest, who: Account): Promise<Record<Measure, MeasureTemplate>> {
  const response = await api('GET', '/measures/templates', { token: who.token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return Object.fromEntries((response.body as MeasureTemplate[]).map((template) => [template.measure, template])) as Record<Measure, MeasureTemplate>;
}

/** The therapist gives the client a measure; returns the assignment. */
export async function assignMeasure(api: ApiRequest, therapist: Account, clientId: string, measure: Measure, schedule: MeasureSchedule = { kind: 'once' }) {
  const response = await api('POST', `/clients/${clientId}/measures`, { token: therapist.token, body: { measure, schedule } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; templateId: string; measure: Measure };
}
