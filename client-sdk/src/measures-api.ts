import type {
  AnswerMeasureRequest,
  ClinicalAssessment,
  CreateClinicalAssessmentRequest,
  CreateMeasureAssignmentRequest,
  UpdateClinicalAssessmentRequest,
  Measure,
  MeasureAssignment,
  MeasureResult,
  MeasureSeries,
  MeasureTemplate,
  RiskAlert,
} from '@therapy-field/sync';
import { path, withQuery, type HttpClient } from './http.js';

/**
 * Measures and questionnaires (PHQ-9, GAD-7, WHO-5): the therapist gives one to a client and follows
 * the scores and risk alerts (live: `client.on('measure.risk_alert', …)`); the client answers (offline, write a `measure_responses` document to
 * `client.db` instead: it is pushed once when the device is back online) and sees their own scores.
 */
export function measuresApi(http: HttpClient) {
  return {
    /**
     * The current version of each measure, in Greek and English.
     * @example
     * const templates = await client.api.measures.templates();
     */
    templates: () => http.request<MeasureTemplate[]>('GET', '/measures/templates'),
    /**
     * One version of a questionnaire, current or not (an old answer's).
     * @example
     * const v1 = await client.api.measures.template(result.templateId);
     */
    template: (id: string) => http.request<MeasureTemplate>('GET', path`/measures/templates/${id}`),
    /**
     * Gives one of my clients a measure once or on a schedule; the client is notified.
     * @example
     * await therapist.api.measures.assign(clientId, { measure: 'PHQ-9', schedule: { kind: 'every_n_weeks', weeks: 2 } });
     */
    assign: (clientId: string, request: CreateMeasureAssignmentRequest) => http.request<MeasureAssignment>('POST', path`/clients/${clientId}/measures`, request),
    /**
     * My assignments to one of my clients, newest first.
     * @example
     * const assignments = await therapist.api.measures.assignmentsOf(clientId);
     */
    assignmentsOf: (clientId: string) => http.request<MeasureAssignment[]>('GET', path`/clients/${clientId}/measures`),
    /**
     * One of my clients' scores on a measure over time, oldest first, with the score bands.
     * @example
     * const { points, ranges } = await therapist.api.measures.seriesOf(clientId, 'PHQ-9');
     */
    seriesOf: (clientId: string, measure: Measure) => http.request<MeasureSeries>('GET', withQuery(path`/clients/${clientId}/measures/series`, { measure })),
    /**
     * Stops an assignment of mine.
     * @example
     * await therapist.api.measures.end(assignmentId);
     */
    end: (assignmentId: string) => http.request<MeasureAssignment>('POST', path`/measures/assignments/${assignmentId}/end`),
    /**
     * Risk alerts raised by my clients' answers, newest first.
     * @example
     * const open = await therapist.api.measures.riskAlerts({ unacknowledged: true });
     */
    riskAlerts: (query: { unacknowledged?: boolean } = {}) =>
      http.request<RiskAlert[]>('GET', withQuery('/measures/risk-alerts', { unacknowledged: query.unacknowledged === undefined ? undefined : String(query.unacknowledged) })),
    /**
     * Records that I have seen an alert; the first acknowledgement is kept.
     * @example
     * await therapist.api.measures.acknowledge(alert.id);
     */
    acknowledge: (alertId: string) => http.request<RiskAlert>('POST', path`/measures/risk-alerts/${alertId}/acknowledge`),
    /**
     * My measures to answer, due ones first.
     * @example
     * const [next] = (await client.api.measures.assigned()).filter((assignment) => assignment.due);
     */
    assigned: () => http.request<MeasureAssignment[]>('GET', '/measures/assigned'),
    /**
     * Answers an assigned measure online; the server scores it. Sending the same `id` again stores nothing new.
     * @example
     * const result = await client.api.measures.answer({ assignmentId, templateId, answers: [0, 1, 2, 0, 1, 0, 0, 1, 0] });
     */
    answer: (request: AnswerMeasureRequest) => http.request<MeasureResult>('POST', '/measures/responses', request),
    /**
     * One of my scored answers.
     * @example
     * const result = await client.api.measures.result(responseId);
     */
    result: (id: string) => http.request<MeasureResult>('GET', path`/measures/responses/${id}`),
    /**
     * My scores on a measure over time, oldest first.
     * @example
     * const { points } = await client.api.measures.mySeries('GAD-7');
     */
    mySeries: (measure: Measure) => http.request<MeasureSeries>('GET', withQuery('/measures/my-series', { measure })),
  };
}

/** A therapist's clinical assessments of their clients (findings, ICD-10 diagnoses), the writer's only. */
export function clinicalAssessmentsApi(http: HttpClient) {
  return {
    /**
     * Writes an assessment of one of my clients; findings and diagnoses are encrypted at rest.
     * @example
     * await therapist.api.clinicalAssessments.create(clientId, { assessmentType: 'diagnostic', administeredDate: '2026-12-01', diagnoses: [{ code: 'F41.1', primary: true }] });
     */
    create: (clientId: string, request: CreateClinicalAssessmentRequest) => http.request<ClinicalAssessment>('POST', path`/clients/${clientId}/assessments`, request),
    /**
     * My assessments of one client, newest first.
     * @example
     * const assessments = await therapist.api.clinicalAssessments.ofClient(clientId);
     */
    ofClient: (clientId: string) => http.request<ClinicalAssessment[]>('GET', path`/clients/${clientId}/assessments`),
    /**
     * One of my assessments.
     * @example
     * const assessment = await therapist.api.clinicalAssessments.get(id);
     */
    get: (id: string) => http.request<ClinicalAssessment>('GET', path`/assessments/${id}`),
    /**
     * Changes one of my assessments (fields left out stay, null clears one).
     * @example
     * await therapist.api.clinicalAssessments.update(id, { findings: 'Βελτίωση του ύπνου' });
     */
    update: (id: string, changes: UpdateClinicalAssessmentRequest) => http.request<ClinicalAssessment>('PATCH', path`/assessments/${id}`, changes),
  };
}
