import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measure, MeasureTemplate } from '@therapy-field/sync';
import { carePairs } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { answersFor, assignMeasure, currentTemplates } from '../../support/measures.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { sql, type Account } from '../../support/scheduling.js';

/** Every band edge of each measure: [score, interpretation, severity, raises an alert]. */
const boundaries: Record<Measure, Array<[number, string, string, boolean]>> = {
  'PHQ-9': [
    [0, 'minimal_depression', 'minimal', false],
    [4, 'minimal_depression', 'minimal', false],
    [5, 'mild_depression', 'mild', false],
    [9, 'mild_depression', 'mild', false],
    [10, 'moderate_depression', 'moderate', false],
    [14, 'moderate_depression', 'moderate', false],
    [15, 'moderately_severe_depression', 'moderately_severe', false],
    [19, 'moderately_severe_depression', 'moderately_severe', false],
    [20, 'severe_depression', 'severe', true],
    [27, 'severe_depression', 'severe', true],
  ],
  'GAD-7': [
    [0, 'minimal_anxiety', 'minimal', false],
    [4, 'minimal_anxiety', 'minimal', false],
    [5, 'mild_anxiety', 'mild', false],
    [9, 'mild_anxiety', 'mild', false],
    [10, 'moderate_anxiety', 'moderate', false],
    [14, 'moderate_anxiety', 'moderate', false],
    [15, 'severe_anxiety', 'severe', true],
    [21, 'severe_anxiety', 'severe', true],
  ],
  'WHO-5': [
    [0, 'likely_depression', 'severe', true],
    [7, 'likely_depression', 'severe', true],
    [8, 'poor_wellbeing', 'moderate', false],
    [12, 'poor_wellbeing', 'moderate', false],
    [13, 'adequate_wellbeing', 'minimal', false],
    [25, 'adequate_wellbeing', 'minimal', false],
  ],
};

describe('measures are scored by the server at every band edge, bad answers are refused, versions never rescore', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let therapist: Account;
  let client: Account;
  let templates: Record<Measure, MeasureTemplate>;
  const assignments = {} as Record<Measure, string>;

  const answer = (body: Record<string, unknown>, who: Account = client) => api('POST', '/measures/responses', { token: who.token, body });
  const storedAnswers = async () => Number((await sql<{ count: string }>(node.platform, 'SELECT count(*) FROM questionnaire_responses WHERE client_id = :id', { id: client.id }))[0]!.count);

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    ({ therapist, client } = await carePairs(node, api)());
    templates = await currentTemplates(api, client);
    for (const measure of ['PHQ-9', 'GAD-7', 'WHO-5'] as const) assignments[measure] = (await assignMeasure(api, therapist, client.id, measure)).id;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('serves each template in Greek and English in the seed’s document shape', async () => {
    expect(Object.keys(templates).sort()).toEqual(['GAD-7', 'PHQ-9', 'WHO-5']);
    const phq9 = templates['PHQ-9'];
    expect(phq9).toMatchObject({ name: 'PHQ-9 Depression Scale', version: '1.0', maxScore: 27, percentageMultiplier: null });
    expect(phq9.questions).toHaveLength(9);
    expect(phq9.questions[8]).toMatchObject({ id: 'phq9_9', min: 0, max: 3, text: { en: expect.stringContaining('better off dead'), el: expect.stringContaining('νεκρός') } });
    expect(phq9.questions[0]!.labels.el).toEqual(['Καθόλου', 'Αρκετές μέρες', 'Περισσότερες από τις μισές μέρες', 'Σχεδόν κάθε μέρα']);
    expect(templates['GAD-7'].questions).toHaveLength(7);
    expect(templates['WHO-5']).toMatchObject({ maxScore: 25, percentageMultiplier: 4 });
    expect(templates['WHO-5'].questions.every((question) => question.max === 5 && question.labels.en.length === 6)).toBe(true);
    const [stored] = await sql<{ questions: unknown[]; scoring: { method: string } }>(node.platform, `SELECT questions, scoring FROM questionnaire_templates WHERE short_name = 'PHQ-9'`);
    expect(stored!.scoring.method).toBe('sum');
    expect(stored!.questions[0]).toMatchObject({ id: 'phq9_1', type: 'likert', required: true, scoring_weight: 1, scale: { min: 0, max: 3 } });
  });

  for (const measure of ['PHQ-9', 'GAD-7', 'WHO-5'] as const) {
    it(`scores ${measure} at every band edge and stores the interpretation with the score`, async () => {
      for (const [score, interpretation, severity, alert] of boundaries[measure]) {
        const answers = answersFor(measure, score);
        const response = await answer({ assignmentId: assignments[measure], templateId: templates[measure].id, answers });
        expect(response.status, `${measure} ${score}: ${JSON.stringify(response.body)}`).toBe(201);
        expect(response.body, `${measure} ${score}`).toMatchObject({ measure, score, interpretation, severity, answers, templateVersion: '1.0', maxScore: templates[measure].maxScore });
        expect(response.body.interpretationLabel.el.length).toBeGreaterThan(0);
        const [row] = await sql<{ calculated_score: string; interpretation: string; severity: string; alerts: string }>(
          node.platform,
          `SELECT r.calculated_score, r.interpretation, r.severity, (SELECT count(*) FROM measure_risk_alerts a WHERE a.response_id = r.id) AS alerts
             FROM questionnaire_responses r WHERE r.id = :id`,
          { id: response.body.id },
        );
        expect({ ...row, calculated_score: Number(row!.calculated_score), alerts: Number(row!.alerts) }, `${measure} ${score}`).toEqual({
          calculated_score: score,
          interpretation,
          severity,
          alerts: alert ? 1 : 0,
        });
      }
    });
  }

  it('raises an alert for PHQ-9 item 9 above 0 even at a mild score, naming the item', async () => {
    const response = await answer({ assignmentId: assignments['PHQ-9'], templateId: templates['PHQ-9'].id, answers: answersFor('PHQ-9', 6, 1) });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ score: 6, severity: 'mild' });
    const alerts = await sql<{ reasons: string[] }>(node.platform, 'SELECT reasons FROM measure_risk_alerts WHERE response_id = :id', { id: response.body.id });
    expect(alerts).toEqual([{ reasons: ['item:phq9_9'] }]);
    const severe = await answer({ assignmentId: assignments['PHQ-9'], templateId: templates['PHQ-9'].id, answers: answersFor('PHQ-9', 24, 3) });
    const both = await sql<{ reasons: string[] }>(node.platform, 'SELECT reasons FROM measure_risk_alerts WHERE response_id = :id', { id: severe.body.id });
    expect(both).toEqual([{ reasons: ['item:phq9_9', 'severity:severe'] }]);
  });

  it('refuses bad answers with a 4xx and stores nothing: wrong item count, out-of-range or fractional value, unknown or wrong template, unknown assignment', async () => {
    const before = await storedAnswers();
    const phq9 = { assignmentId: assignments['PHQ-9'], templateId: templates['PHQ-9'].id };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...phq9, answers: [0, 0, 0, 0, 0, 0, 0, 0] }, 400, 'answers'],
      [{ ...phq9, answers: Array(10).fill(0) }, 400, 'answers'],
      [{ ...phq9, answers: [0, 0, 0, 4, 0, 0, 0, 0, 0] }, 400, 'answers.3'],
      [{ ...phq9, answers: [0, 0, 0, 0, 0, 0, 0, 0, -1] }, 400, 'answers.8'],
      [{ ...phq9, answers: [0, 0, 1.5, 0, 0, 0, 0, 0, 0] }, 400, 'answers.2'],
      [{ ...phq9, answers: [] }, 400, 'answers'],
      [{ assignmentId: assignments['WHO-5'], templateId: templates['WHO-5'].id, answers: [5, 5, 6, 5, 5] }, 400, 'answers.2'],
      [{ ...phq9, templateId: randomUUID(), answers: Array(9).fill(0) }, 400, 'templateId'],
      [{ ...phq9, templateId: templates['GAD-7'].id, answers: Array(7).fill(0) }, 400, 'templateId'],
      [{ ...phq9, answers: Array(9).fill(0), extra: true }, 400, ''],
    ];
    for (const [body, status, path] of cases) {
      const response = await answer(body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      if (path) expect(response.body.error.details.map((detail: { path: string }) => detail.path), JSON.stringify(body)).toContain(path);
    }
    const unknownAssignment = await answer({ assignmentId: randomUUID(), templateId: templates['PHQ-9'].id, answers: Array(9).fill(0) });
    expect(unknownAssignment).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    // The same refusals hold for a device's push: the row is rejected, nothing is stored.
    const pushed = await api('POST', '/sync/push', {
      token: client.token,
      body: { collection: 'measure_responses', rows: [{ newDocumentState: { id: randomUUID(), ...phq9, answers: [0, 0, 0, 9, 0, 0, 0, 0, 0], completedAt: new Date().toISOString(), _deleted: false } }] },
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body.rejected).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect(await storedAnswers()).toBe(before);
  });

  it('scores an answer with the version it answered: a new version changes new scores, never old ones, and a version never changes', async () => {
    const before = await answer({ assignmentId: assignments['PHQ-9'], templateId: templates['PHQ-9'].id, answers: answersFor('PHQ-9', 12) });
    expect(before.body).toMatchObject({ score: 12, interpretation: 'moderate_depression', templateVersion: '1.0' });

    // Version 1.0 itself cannot be edited: a change is a new version.
    await expect(sql(node.platform, `UPDATE questionnaire_templates SET scoring = scoring || '{"max": 30}' WHERE id = :id`, { id: templates['PHQ-9'].id })).rejects.toThrow(/cannot be changed/);
    // Version 2.0: the same questions, moderate from 12 (one point lower), every item weighted 1.
    await sql(
      node.platform,
      `INSERT INTO questionnaire_templates (name, short_name, type, version, languages, questions, scoring, metadata, is_validated, created_at)
       SELECT name, short_name, type, '2.0', languages, questions,
              jsonb_set(scoring, '{ranges}', '[{"min":0,"max":4,"interpretation":"minimal_depression","severity":"minimal","alert":false,"label":{"en":"Minimal","el":"Ελάχιστη"}},
                                            {"min":5,"max":11,"interpretation":"mild_depression","severity":"mild","alert":false,"label":{"en":"Mild","el":"Ήπια"}},
                                            {"min":12,"max":27,"interpretation":"moderate_depression_v2","severity":"moderate","alert":false,"label":{"en":"Moderate","el":"Μέτρια"}}]'),
              metadata, true, now() + interval '1 second'
         FROM questionnaire_templates WHERE id = :id RETURNING id`,
      { id: templates['PHQ-9'].id },
    );
    const current = await currentTemplates(api, client);
    expect(current['PHQ-9'].version).toBe('2.0');
    const assigned = await api('GET', '/measures/assigned', { token: client.token });
    expect(assigned.body.find((a: { id: string }) => a.id === assignments['PHQ-9']).templateId).toBe(current['PHQ-9'].id);

    const after = await answer({ assignmentId: assignments['PHQ-9'], templateId: current['PHQ-9'].id, answers: answersFor('PHQ-9', 11) });
    expect(after.body).toMatchObject({ score: 11, interpretation: 'mild_depression', templateVersion: '2.0' });
    // A device that was offline with version 1.0 is still scored by 1.0.
    const offline = await answer({ assignmentId: assignments['PHQ-9'], templateId: templates['PHQ-9'].id, answers: answersFor('PHQ-9', 11) });
    expect(offline.body).toMatchObject({ score: 11, interpretation: 'moderate_depression', templateVersion: '1.0' });
    // The earlier answer kept its score and interpretation, and cannot be rescored.
    const kept = await api('GET', `/measures/responses/${before.body.id}`, { token: client.token });
    expect(kept.body).toMatchObject({ score: 12, interpretation: 'moderate_depression', templateVersion: '1.0' });
    await expect(sql(node.platform, `UPDATE questionnaire_responses SET calculated_score = 1 WHERE id = :id`, { id: before.body.id })).rejects.toThrow(/cannot be changed/);
    const old = await api('GET', `/measures/templates/${templates['PHQ-9'].id}`, { token: client.token });
    expect(old.body).toMatchObject({ version: '1.0', ranges: templates['PHQ-9'].ranges });
  });
});
