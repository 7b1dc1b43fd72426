import type { z } from 'zod';
import type {
  appointmentSchema,
  appointmentTypeSchema,
  availabilityExceptionSchema,
  availabilitySchema,
  bookAppointmentRequestSchema,
  calendarFeedSchema,
  cancelSeriesRequestSchema,
  catalogEntrySchema,
  clientHistorySchema,
  completeRequestSchema,
  createAppointmentTypeRequestSchema,
  createCatalogEntryRequestSchema,
  createLocationRequestSchema,
  createReviewRequestSchema,
  createRateRequestSchema,
  createSeriesRequestSchema,
  createSessionNoteRequestSchema,
  createTreatmentPlanRequestSchema,
  eraseRequestSchema,
  historySectionRequestSchemas,
  listAppointmentsQuerySchema,
  privateNotesResponseSchema,
  privateNotesSchema,
  privacyExportSchema,
  proposeAppointmentRequestSchema,
  publicReviewListQuerySchema,
  publicReviewPageSchema,
  pullRequestSchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  reasonRequestSchema,
  rejectReviewRequestSchema,
  rescheduleRequestSchema,
  reviewModerationPageSchema,
  reviewModerationQuerySchema,
  reviewSchema,
  seriesSchema,
  sessionNoteListQuerySchema,
  sessionNotePageSchema,
  sessionNoteSchema,
  setApproachesRequestSchema,
  setAvailabilityRequestSchema,
  setLanguagesRequestSchema,
  setSpecializationsRequestSchema,
  slotsQuerySchema,
  slotsResponseSchema,
  therapistProfileSchema,
  therapistSearchQuerySchema,
  therapistSearchResultSchema,
  therapistsAwaitingVerificationSchema,
  therapistVerificationSchema,
  treatmentPlanSchema,
  updateSessionNoteRequestSchema,
  updateTherapistRequestSchema,
  updateTreatmentPlanRequestSchema,
  HistoryKind,
} from '@therapy-field/sync';
import type {
  breakGlassRecordSchema,
  breakGlassRequestSchema,
  coSignNoteRequestSchema,
  continuingEducationOverviewSchema,
  continuingEducationSchema,
  createContinuingEducationRequestSchema,
  createNoteAmendmentRequestSchema,
  createNoteTemplateRequestSchema,
  createSupervisionSessionRequestSchema,
  myRecordSchema,
  noteAmendmentSchema,
  noteTemplateListQuerySchema,
  noteTemplateSchema,
  recordReadSchema,
  sessionNoteRecordSchema,
  startSupervisionRequestSchema,
  supervisedNoteSchema,
  supervisionRelationshipSchema,
  supervisionSessionSchema,
  ConsentKind,
} from '@therapy-field/sync';
import { billingApi } from './billing.js';
import type {
  createFormTemplateRequestSchema,
  formTemplateSchema,
  insightsQuerySchema,
  sendFormRequestSchema,
  sentFormSchema,
  wellnessInsightsSchema,
} from '@therapy-field/sync';
import { path, withQuery, type HttpClient } from './http.js';
import { callRoute, routeCaller, type CallBody, type CallQuery, type Query } from './route-call.js';
import { clinicalAssessmentsApi, measuresApi } from './measures-api.js';

/** A request body as the caller writes it (defaults may be left out). */
type Body<Schema extends z.ZodType> = z.input<Schema>;
/** A response as the server sends it. */
type Reply<Schema extends z.ZodType> = z.output<Schema>;

type Profile = Reply<typeof therapistProfileSchema>;
type Appointment = Reply<typeof appointmentSchema>;
type Availability = Reply<typeof availabilitySchema>;
type Series = Reply<typeof seriesSchema>;
type SessionNote = Reply<typeof sessionNoteSchema>;
type TreatmentPlan = Reply<typeof treatmentPlanSchema>;
type ClientHistory = Reply<typeof clientHistorySchema>;

/**
 * Typed REST calls for everything the HTTP API offers an app; request and response types are the
 * server's own schemas from @therapy-field/sync. A failed call rejects with an `AppError`
 * (`code`, `status`, `details`).
 */
export function createRestApi(http: HttpClient) {
  return {
    /**
     * Any route of the contract by its operationId (see the OpenAPI document), typed by its schemas.
     * @example
     * const { messages } = await client.api.call('listMessages', { params: { peerId: therapistId }, query: { limit: 30 } });
     */
    call: routeCaller(http),
    me: {
      /**
       * The signed-in user with their profile.
       * @example
       * const me = await client.api.me.get();
       */
      get: () => callRoute(http, 'getMe', {}),
      /**
       * Changes profile fields.
       * @example
       * await client.api.me.update({ language: 'en' });
       */
      update: (changes: CallBody<'updateMe'>) => callRoute(http, 'updateMe', { body: changes }),
    },
    privacy: privacyApi(http),
    consents: consentsApi(http),
    insights: insightsApi(http),
    forms: formsApi(http),
    myRecord: myRecordApi(http),
    noteRecords: noteRecordsApi(http),
    noteTemplates: noteTemplatesApi(http),
    supervision: supervisionApi(http),
    continuingEducation: continuingEducationApi(http),
    directory: directoryApi(http),
    availability: availabilityApi(http),
    /**
     * Bookable slots of a therapist for an appointment type, in the therapist's zone (ISO 8601 with offset).
     * `from`/`to` are dates (`to` inclusive) or date-times (`to` exclusive), at most a few weeks apart.
     * @example
     * const { slots } = await client.api.slots(therapistId, { from: '2026-03-02', to: '2026-03-08', type: appointmentTypeId, mode: 'online' });
     */
    slots: (therapistId: string, query: Query<typeof slotsQuerySchema>) =>
      http.request<Reply<typeof slotsResponseSchema>>('GET', withQuery(path`/therapists/${therapistId}/slots`, query)),
    appointments: appointmentsApi(http),
    series: seriesApi(http),
    sessionNotes: sessionNotesApi(http),
    clinicalRecords: clinicalRecordsApi(http),
    measures: measuresApi(http),
    clinicalAssessments: clinicalAssessmentsApi(http),
    calendarFeed: calendarFeedApi(http),
    notifications: notificationsApi(http),
    messages: messagesApi(http),
    reviews: reviewsApi(http),
    admin: adminApi(http),
    billing: billingApi(http),
    business: {
      /**
       * The companies the caller administers (business admins).
       * @example
       * const { businesses: [company] } = await hr.api.business.mine();
       */
      mine: () => callRoute(http, 'listMyBusinesses', {}),
      /**
       * Enrolment and session totals of the caller's company (business admins; super admins see any).
       * Session figures are null while fewer than `minimumGroupSize` employees have booked.
       * @example
       * const { employees, sessions } = await hr.api.business.usage(businessId);
       */
      usage: (businessId: string) => callRoute(http, 'getBusinessUsage', { params: { id: businessId } }),
    },
    sync: {
      /**
       * One page of a collection after a checkpoint (what `db` replication uses when the socket is down).
       * @example
       * const page = await client.api.sync.pull({ collection: 'mood_entries', checkpoint: null, limit: 100 });
       */
      pull: (request: Body<typeof pullRequestSchema>) => http.request<Reply<typeof pullResponseSchema>>('POST', '/sync/pull', request),
      /**
       * Writes rows with their assumed server state; answers conflicts and rejected rows.
       * @example
       * await client.api.sync.push({ collection: 'mood_entries', rows: [{ newDocumentState: entry }] });
       */
      push: (request: Body<typeof pushRequestSchema>) => http.request<Reply<typeof pushResponseSchema>>('POST', '/sync/push', request),
    },
  };
}

/** The signed-in user's GDPR rights on their own data. */
function privacyApi(http: HttpClient) {
  return {
    /**
     * Everything the platform holds about the signed-in user, encrypted text decrypted (right of
     * access); `notice` says what of the clinical record it holds. Audited, and limited to a few an hour.
     * @example
     * const { exportedAt, data } = await client.api.privacy.export();
     * const journal = data.journal_entries ?? [];
     */
    export: () => http.request<Reply<typeof privacyExportSchema>>('GET', '/me/export'),
    /**
     * Erases the signed-in client's account and data for good (right to erasure) and signs out:
     * every session and socket of the account ends. Therapists and business accounts get `FORBIDDEN`,
     * a wrong password `INVALID_CREDENTIALS`. Data on this device is the app's to delete (`client.close()`,
     * then remove the local database).
     * @example
     * await client.api.privacy.erase({ password });
     */
    erase: async ({ password }: Omit<Body<typeof eraseRequestSchema>, 'confirm'>): Promise<void> => {
      await http.request<void>('POST', '/me/erase', { password, confirm: 'ERASE' } satisfies Body<typeof eraseRequestSchema>);
      http.setSession(null);
    },
  };
}

/** The therapist directory and the catalogues it is filtered by. */
function directoryApi(http: HttpClient) {
  const edit = <Schema extends z.ZodType>(method: 'PUT' | 'POST' | 'PATCH', suffix: string) => (therapistId: string, body: Body<Schema>) =>
    http.request<Profile>(method, path`/therapists/${therapistId}` + suffix, body);
  return {
    /**
     * Searches verified, active therapists: Greek, English or Greeklish text (accents, case, prefixes and
     * small typos on names forgiven), filters, a sort, facet counts on request; `nextCursor` pages on.
     * @example
     * const { items, facets, nextCursor } = await client.api.directory.search({ q: 'agxos', city: 'athens', online: true, facets: true, limit: 10 });
     * const near = await client.api.directory.search({ near: [37.98, 23.73], radiusKm: 10, sort: 'distance', lang: 'en' });
     */
    search: (query: Query<typeof therapistSearchQuerySchema> = {}) =>
      http.request<Reply<typeof therapistSearchResultSchema>>('GET', withQuery('/therapists', query)),
    /**
     * A verified, active therapist's full profile (specializations, approaches, locations, rates, settings).
     * @example
     * const therapist = await client.api.directory.get(therapistId);
     */
    get: (therapistId: string) => http.request<Profile>('GET', path`/therapists/${therapistId}`),
    /**
     * The signed-in therapist's own profile, whether listed yet or not (therapists only).
     * @example
     * const mine = await client.api.directory.me();
     */
    me: () => http.request<Profile>('GET', '/therapists/me'),
    /**
     * Changes the signed-in therapist's profile and scheduling settings.
     * @example
     * await client.api.directory.update(therapistId, { bio: 'Γνωσιακή συμπεριφορική θεραπεία', settings: { bufferMinutes: 10 } });
     */
    update: edit<typeof updateTherapistRequestSchema>('PATCH', ''),
    /**
     * Replaces the therapist's specializations.
     * @example
     * await client.api.directory.setSpecializations(therapistId, [{ id: anxietyId, isPrimary: true }]);
     */
    setSpecializations: edit<typeof setSpecializationsRequestSchema>('PUT', '/specializations'),
    /**
     * Replaces the therapist's therapeutic approaches.
     * @example
     * await client.api.directory.setApproaches(therapistId, [{ id: cbtId, proficiency: 'expert' }]);
     */
    setApproaches: edit<typeof setApproachesRequestSchema>('PUT', '/approaches'),
    /**
     * Replaces the languages the therapist works in.
     * @example
     * await client.api.directory.setLanguages(therapistId, [{ code: 'el', proficiency: 'native' }, { code: 'en', proficiency: 'fluent' }]);
     */
    setLanguages: edit<typeof setLanguagesRequestSchema>('PUT', '/languages'),
    /**
     * Adds a practice location.
     * @example
     * await client.api.directory.addLocation(therapistId, { addressLine1: 'Πανεπιστημίου 10', city: 'Αθήνα', postalCode: '10671' });
     */
    addLocation: edit<typeof createLocationRequestSchema>('POST', '/locations'),
    /**
     * Retires a practice location.
     * @example
     * await client.api.directory.removeLocation(therapistId, locationId);
     */
    removeLocation: (therapistId: string, locationId: string) =>
      http.request<void>('DELETE', path`/therapists/${therapistId}/locations/${locationId}`),
    /**
     * Adds a rate, optionally for one appointment type, with corporate and sliding-scale terms.
     * @example
     * await client.api.directory.addRate(therapistId, { appointmentTypeId, amount: 60, effectiveFrom: '2026-01-01' });
     */
    addRate: edit<typeof createRateRequestSchema>('POST', '/rates'),
    /**
     * Every specialization, named in English and Greek.
     * @example
     * const specializations = await client.api.directory.specializations();
     */
    specializations: () => http.request<Reply<typeof catalogEntrySchema>[]>('GET', '/specializations'),
    /**
     * Every therapeutic approach, named in English and Greek.
     * @example
     * const approaches = await client.api.directory.approaches();
     */
    approaches: () => http.request<Reply<typeof catalogEntrySchema>[]>('GET', '/approaches'),
    /**
     * The appointment types and their durations (the `type` that slots and bookings take).
     * @example
     * const [firstSession] = await client.api.directory.appointmentTypes();
     */
    appointmentTypes: () => http.request<Reply<typeof appointmentTypeSchema>[]>('GET', '/appointment-types'),
  };
}

/** A therapist's own weekly hours and date exceptions (wall-clock times in the therapist's zone). */
function availabilityApi(http: HttpClient) {
  return {
    /**
     * The weekly hours and date exceptions.
     * @example
     * const { templates, exceptions } = await client.api.availability.get(therapistId);
     */
    get: (therapistId: string) => http.request<Availability>('GET', path`/therapists/${therapistId}/availability`),
    /**
     * Replaces the weekly hours.
     * @example
     * await client.api.availability.setTemplates(therapistId, [{ dayOfWeek: 1, startTime: '09:00', endTime: '17:00', sessionType: 'online' }]);
     */
    setTemplates: (therapistId: string, templates: Body<typeof setAvailabilityRequestSchema>) =>
      http.request<Availability>('PUT', path`/therapists/${therapistId}/availability`, templates),
    /**
     * Closes a day (or some hours of it), or adds extra hours, on one date.
     * @example
     * await client.api.availability.setException(therapistId, { date: '2026-08-15', reason: 'Δεκαπενταύγουστος' });
     */
    setException: (therapistId: string, exception: Body<typeof availabilityExceptionSchema>) =>
      http.request<Availability>('PUT', path`/therapists/${therapistId}/availability/exceptions`, exception),
    /**
     * Removes the exception on a date.
     * @example
     * await client.api.availability.deleteException(therapistId, '2026-08-15');
     */
    deleteException: (therapistId: string, date: string) =>
      http.request<void>('DELETE', path`/therapists/${therapistId}/availability/exceptions/${date}`),
  };
}

/** Booking and the appointment's state machine; each caller sees only their own appointments. */
function appointmentsApi(http: HttpClient) {
  const action = <Schema extends z.ZodType>(name: string) => (appointmentId: string, body?: Body<Schema>) =>
    http.request<Appointment>('POST', path`/appointments/${appointmentId}/` + name, body);
  return {
    /**
     * Requests a slot; confirmed at once if the therapist allows instant confirmation.
     * Rejects with `SLOT_TAKEN` (409) when someone got there first.
     * @example
     * const appointment = await client.api.appointments.book({ therapistId, appointmentTypeId, start: slot.start, clientNotes: 'Πρώτη συνεδρία' });
     */
    book: (request: Body<typeof bookAppointmentRequestSchema>) => http.request<Appointment>('POST', '/appointments', request),
    /**
     * The caller's appointments, as client or therapist.
     * @example
     * const upcoming = await client.api.appointments.list({ from: new Date().toISOString(), status: 'confirmed' });
     */
    list: (query: Query<typeof listAppointmentsQuerySchema> = {}) => http.request<Appointment[]>('GET', withQuery('/appointments', query)),
    /**
     * One of the caller's appointments.
     * @example
     * const appointment = await client.api.appointments.get(appointmentId);
     */
    get: (appointmentId: string) => http.request<Appointment>('GET', path`/appointments/${appointmentId}`),
    /**
     * The therapist proposes one of their slots to a client. It waits as `proposed` and gives the
     * therapist nothing (no clinical record, shared entries or messages) until the client accepts it.
     * @example
     * const proposal = await therapist.api.appointments.propose({ clientId, appointmentTypeId, start: slot.start });
     */
    propose: (request: Body<typeof proposeAppointmentRequestSchema>) => http.request<Appointment>('POST', '/appointment-proposals', request),
    /**
     * The client accepts a therapist's proposal: it becomes confirmed. Rejects with `SLOT_TAKEN` (409)
     * when the time was booked meanwhile, `SESSION_LIMIT_REACHED` when the company's sessions are used up.
     * @example
     * await client.api.appointments.accept(proposalId);
     */
    accept: (appointmentId: string) => http.request<Appointment>('POST', path`/appointments/${appointmentId}/accept`),
    /**
     * The therapist confirms a requested appointment.
     * @example
     * await therapist.api.appointments.confirm(appointmentId);
     */
    confirm: (appointmentId: string) => http.request<Appointment>('POST', path`/appointments/${appointmentId}/confirm`),
    /**
     * The therapist declines a requested appointment, or the client declines a proposal.
     * @example
     * await therapist.api.appointments.decline(appointmentId, { reason: 'Δεν είμαι διαθέσιμη' });
     */
    decline: action<typeof reasonRequestSchema>('decline'),
    /**
     * Cancels (client or therapist); inside 24 hours it is flagged as a late cancellation.
     * @example
     * await client.api.appointments.cancel(appointmentId, { reason: 'Είμαι άρρωστη' });
     */
    cancel: action<typeof reasonRequestSchema>('cancel'),
    /**
     * The therapist records the session as held.
     * @example
     * await therapist.api.appointments.complete(appointmentId, { actualStart, actualEnd });
     */
    complete: action<typeof completeRequestSchema>('complete'),
    /**
     * The therapist records that the client did not come.
     * @example
     * await therapist.api.appointments.noShow(appointmentId);
     */
    noShow: (appointmentId: string) => http.request<Appointment>('POST', path`/appointments/${appointmentId}/no-show`),
    /**
     * Moves to another slot: answers the new appointment, linked by `rescheduledFrom`.
     * @example
     * const moved = await client.api.appointments.reschedule(appointmentId, { start: laterSlot.start, reason: 'Σύγκρουση με τη δουλειά' });
     */
    reschedule: (appointmentId: string, request: Body<typeof rescheduleRequestSchema>) =>
      http.request<Appointment>('POST', path`/appointments/${appointmentId}/reschedule`, request),
    privateNotes: {
      /**
       * The therapist's private notes on the appointment (encrypted at rest, every read audited).
       * @example
       * const { notes } = await therapist.api.appointments.privateNotes.get(appointmentId);
       */
      get: (appointmentId: string) => http.request<Reply<typeof privateNotesResponseSchema>>('GET', path`/appointments/${appointmentId}/private-notes`),
      /**
       * Writes the therapist's private notes, replacing what was there.
       * @example
       * await therapist.api.appointments.privateNotes.set(appointmentId, { notes: 'Καλή πρόοδος με τις τεχνικές χαλάρωσης.' });
       */
      set: (appointmentId: string, body: Body<typeof privateNotesSchema>) =>
        http.request<void>('PUT', path`/appointments/${appointmentId}/private-notes`, body),
    },
  };
}

/** Recurring appointments: a weekly, biweekly or monthly series booked ahead. */
function seriesApi(http: HttpClient) {
  return {
    /**
     * Starts a series and books its coming occurrences; occurrences that could not be booked come back as `conflicts`.
     * A client gives `therapistId` (occurrences follow the therapist's confirmation policy); a therapist gives
     * `clientId` and proposes the series (occurrences wait as `proposed` until the client accepts).
     * Rejects with `SLOT_UNAVAILABLE` (409) when no coming occurrence is one of the therapist's bookable slots.
     * @example
     * const series = await client.api.series.create({ therapistId, appointmentTypeId, frequency: 'weekly', startDate: '2026-03-02', time: '18:00' });
     */
    create: (request: Body<typeof createSeriesRequestSchema>) => http.request<Series>('POST', '/recurring-appointments', request),
    /**
     * A series with its occurrences and reported conflicts.
     * @example
     * const series = await client.api.series.get(seriesId);
     */
    get: (seriesId: string) => http.request<Series>('GET', path`/recurring-appointments/${seriesId}`),
    /**
     * The client accepts a series a therapist proposed: its occurrences become confirmed.
     * @example
     * const series = await client.api.series.accept(seriesId);
     */
    accept: (seriesId: string) => http.request<Series>('POST', path`/recurring-appointments/${seriesId}/accept`),
    /**
     * The client declines a series a therapist proposed: nothing of it is booked.
     * @example
     * await client.api.series.decline(seriesId, { reason: 'Προτιμώ άλλη ώρα' });
     */
    decline: (seriesId: string, request?: Body<typeof reasonRequestSchema>) =>
      http.request<Series>('POST', path`/recurring-appointments/${seriesId}/decline`, request),
    /**
     * Cancels every occurrence from `from` (default: now) on.
     * @example
     * await client.api.series.cancel(seriesId, { reason: 'Ολοκληρώσαμε' });
     */
    cancel: (seriesId: string, request?: Body<typeof cancelSeriesRequestSchema>) =>
      http.request<Series>('POST', path`/recurring-appointments/${seriesId}/cancel`, request),
  };
}

/**
 * A therapist's clinical session notes (encrypted at rest, every read and write audited). Only the
 * appointment's therapist writes and reads them; anyone else gets `NOT_FOUND`.
 */
function sessionNotesApi(http: HttpClient) {
  return {
    /**
     * Writes a note for one of the therapist's appointments; `content` has the structure of `noteType`.
     * Rejects with `NOTE_APPOINTMENT_INELIGIBLE` (409) for a requested, declined or cancelled appointment.
     * @example
     * const note = await therapist.api.sessionNotes.create(appointmentId, {
     *   noteType: 'soap',
     *   content: { subjective: 'Αναφέρει λιγότερο άγχος', objective: 'Ήρεμη', assessment: 'Πρόοδος', plan: 'Συνέχιση ΓΣΘ' },
     *   riskAssessment: 'Χαμηλός κίνδυνος',
     * });
     */
    create: (appointmentId: string, note: Body<typeof createSessionNoteRequestSchema>) =>
      http.request<SessionNote>('POST', path`/appointments/${appointmentId}/session-notes`, note),
    /**
     * The therapist's notes of one of their appointments, oldest first.
     * @example
     * const notes = await therapist.api.sessionNotes.listForAppointment(appointmentId);
     */
    listForAppointment: (appointmentId: string) => http.request<SessionNote[]>('GET', path`/appointments/${appointmentId}/session-notes`),
    /**
     * A page of the therapist's notes about one client, newest first; pass `nextCursor` back for the next page (null: no more).
     * @example
     * const first = await therapist.api.sessionNotes.listForClient(clientId, { limit: 20 });
     * const second = first.nextCursor ? await therapist.api.sessionNotes.listForClient(clientId, { cursor: first.nextCursor }) : undefined;
     */
    listForClient: (clientId: string, query: Query<typeof sessionNoteListQuerySchema> = {}) =>
      http.request<Reply<typeof sessionNotePageSchema>>('GET', withQuery(path`/clients/${clientId}/session-notes`, query)),
    /**
     * One of the therapist's notes.
     * @example
     * const note = await therapist.api.sessionNotes.get(noteId);
     */
    get: (noteId: string) => http.request<SessionNote>('GET', path`/session-notes/${noteId}`),
    /**
     * Edits an unsigned note from the `version` the editor saw; fields left out stay, null clears one.
     * Rejects with `NOTE_VERSION_CONFLICT` (409) if it changed since, `NOTE_SIGNED` (409) once signed.
     * @example
     * const edited = await therapist.api.sessionNotes.update(note.id, { version: note.version, noteType: note.noteType, nextSessionPlan: 'Έκθεση σε σταδιακά βήματα' });
     */
    update: (noteId: string, changes: Body<typeof updateSessionNoteRequestSchema>) =>
      http.request<SessionNote>('PATCH', path`/session-notes/${noteId}`, changes),
    /**
     * Signs a note: it cannot be edited or deleted afterwards.
     * @example
     * const signed = await therapist.api.sessionNotes.sign(note.id);
     */
    sign: (noteId: string) => http.request<SessionNote>('POST', path`/session-notes/${noteId}/sign`),
    /**
     * Deletes an unsigned note.
     * @example
     * await therapist.api.sessionNotes.delete(note.id);
     */
    delete: (noteId: string) => http.request<void>('DELETE', path`/session-notes/${noteId}`),
  };
}

/** A client's intake histories (their therapists) and treatment plans (the writing therapist); anyone else gets NOT_FOUND. */
function clinicalRecordsApi(http: HttpClient) {
  return {
    /**
     * The client's medical, psychiatric and social histories; a section never written is null.
     * @example
     * const { medical, psychiatric, social } = await therapist.api.clinicalRecords.history(clientId);
     */
    history: (clientId: string) => http.request<ClientHistory>('GET', path`/clients/${clientId}/history`),
    /**
     * Replaces one whole history section: a field left out is empty afterwards.
     * @example
     * const medical = await therapist.api.clinicalRecords.replaceHistory(clientId, 'medical', { allergies: 'Πενικιλίνη', lastPhysicalExam: '2026-01-15' });
     */
    replaceHistory: <Kind extends HistoryKind>(clientId: string, kind: Kind, section: Body<(typeof historySectionRequestSchemas)[Kind]>) =>
      http.request<NonNullable<ClientHistory[Kind]>>('PUT', path`/clients/${clientId}/history/${kind}`, section),
    /**
     * Writes an active treatment plan for one of the therapist's clients; `reviewDate` may not come before `startDate`.
     * @example
     * const plan = await therapist.api.clinicalRecords.createTreatmentPlan(clientId, {
     *   startDate: '2026-03-02',
     *   reviewDate: '2026-06-01',
     *   presentingProblems: 'Κρίσεις πανικού στο μετρό',
     *   diagnoses: ['F41.0 Διαταραχή πανικού'],
     *   measurementTools: ['PDSS'],
     * });
     */
    createTreatmentPlan: (clientId: string, plan: Body<typeof createTreatmentPlanRequestSchema>) =>
      http.request<TreatmentPlan>('POST', path`/clients/${clientId}/treatment-plans`, plan),
    /**
     * The therapist's plans for one client, newest start first.
     * @example
     * const plans = await therapist.api.clinicalRecords.treatmentPlans(clientId);
     */
    treatmentPlans: (clientId: string) => http.request<TreatmentPlan[]>('GET', path`/clients/${clientId}/treatment-plans`),
    /**
     * One of the therapist's plans.
     * @example
     * const plan = await therapist.api.clinicalRecords.treatmentPlan(planId);
     */
    treatmentPlan: (planId: string) => http.request<TreatmentPlan>('GET', path`/treatment-plans/${planId}`),
    /**
     * Changes an active plan (fields left out stay, null clears one) or closes it with `status`;
     * rejects with `TREATMENT_PLAN_CLOSED` (409) once it is completed or terminated.
     * @example
     * const done = await therapist.api.clinicalRecords.updateTreatmentPlan(plan.id, { status: 'completed' });
     */
    updateTreatmentPlan: (planId: string, changes: Body<typeof updateTreatmentPlanRequestSchema>) =>
      http.request<TreatmentPlan>('PATCH', path`/treatment-plans/${planId}`, changes),
  };
}

/** The therapist's schedule as a secret iCalendar feed for calendar apps. */
function calendarFeedApi(http: HttpClient) {
  return {
    /**
     * A new secret feed URL to subscribe to in a calendar app; the previous one stops working.
     * @example
     * const { url } = await therapist.api.calendarFeed.create();
     */
    create: () => http.request<Reply<typeof calendarFeedSchema>>('POST', '/calendar-feed'),
    /**
     * Revokes the feed: its URL stops working.
     * @example
     * await therapist.api.calendarFeed.revoke();
     */
    revoke: () => http.request<void>('DELETE', '/calendar-feed'),
    /**
     * The feed's iCalendar text, by the token that `create` answered (no sign-in needed: the token is the secret).
     * @example
     * const ics = await client.api.calendarFeed.read(feed.token);
     */
    read: (token: string) => http.request<string>('GET', path`/calendar/${token}` + '.ics'),
  };
}

/** The signed-in user's own notifications. */
function notificationsApi(http: HttpClient) {
  return {
    /**
     * A page of notifications, newest first; pass `nextCursor` back for the next page (null: no more).
     * @example
     * const first = await client.api.notifications.list({ limit: 20 });
     * const second = first.nextCursor ? await client.api.notifications.list({ cursor: first.nextCursor }) : undefined;
     */
    list: (query: CallQuery<'listNotifications'> = {}) => callRoute(http, 'listNotifications', { query }),
    /**
     * How many notifications are unread.
     * @example
     * const { count } = await client.api.notifications.unreadCount();
     */
    unreadCount: () => callRoute(http, 'countUnreadNotifications', {}),
    /**
     * Marks one notification read.
     * @example
     * await client.api.notifications.markRead(notification.id);
     */
    markRead: (notificationId: string) => callRoute(http, 'markNotificationRead', { params: { id: notificationId } }),
    /**
     * Marks every notification read; answers how many changed.
     * @example
     * const { updated } = await client.api.notifications.markAllRead();
     */
    markAllRead: () => callRoute(http, 'markAllNotificationsRead', {}),
  };
}

/**
 * Secure messages with the signed-in user's therapist or clients, for apps without the offline
 * database (with it, write to `db.messages`: the same collection, synced).
 */
function messagesApi(http: HttpClient) {
  return {
    /**
     * Everyone the user may message or has messages with: peer, last message time and unread count (no bodies).
     * @example
     * const { conversations } = await client.api.messages.conversations();
     * const unread = conversations.reduce((sum, thread) => sum + thread.unreadCount, 0);
     */
    conversations: () => callRoute(http, 'listConversations', {}),
    /**
     * A page of the conversation with `peerId`, newest first; pass `nextCursor` back for older ones (null: no more).
     * @example
     * const { messages, nextCursor } = await client.api.messages.list(therapistId, { limit: 30 });
     */
    list: (peerId: string, query: CallQuery<'listMessages'> = {}) => callRoute(http, 'listMessages', { params: { peerId }, query }),
    /**
     * Sends a message to the user's therapist or client; 403 `FORBIDDEN` for anyone else. Give an
     * `id` and `createdAt` to make a retry safe.
     * @example
     * const message = await client.api.messages.send(therapistId, { body: 'Μπορούμε να μετακινήσουμε την Πέμπτη;' });
     */
    send: (peerId: string, message: CallBody<'sendMessage'>) => callRoute(http, 'sendMessage', { params: { peerId }, body: message }),
    /**
     * Marks every message from `peerId` to the user read; the peer's devices get the read receipt.
     * @example
     * const { updated } = await client.api.messages.markRead(clientId);
     */
    markRead: (peerId: string) => callRoute(http, 'markConversationRead', { params: { peerId } }),
  };
}

/** Clients' reviews of their therapists; approved ones are public. */
function reviewsApi(http: HttpClient) {
  return {
    /**
     * Reviews the therapist of the caller's completed appointment, once (409 `REVIEW_EXISTS` after
     * that, `REVIEW_APPOINTMENT_NOT_COMPLETED` before it is completed). It is `pending` until a super
     * admin approves it.
     * @example
     * const review = await client.api.reviews.write(appointmentId, { rating: 5, comment: 'Με βοήθησε πολύ.', anonymous: true });
     */
    write: (appointmentId: string, review: Body<typeof createReviewRequestSchema>) =>
      http.request<Reply<typeof reviewSchema>>('POST', path`/appointments/${appointmentId}/review`, review),
    /**
     * A page of a therapist's approved reviews, newest first (no sign-in needed); `language` is the
     * one the anonymous label is in. Pass `nextCursor` back for older ones (null: no more).
     * @example
     * const { reviews, nextCursor } = await client.api.reviews.listForTherapist(therapistId, { limit: 10, language: 'en' });
     */
    listForTherapist: (therapistId: string, query: Query<typeof publicReviewListQuerySchema> = {}) =>
      http.request<Reply<typeof publicReviewPageSchema>>('GET', withQuery(path`/therapists/${therapistId}/reviews`, query)),
  };
}

/** What only super admins may do: verify therapists' licenses, extend the catalogues and moderate reviews. */
function adminApi(http: HttpClient) {
  return {
    /**
     * Therapists whose license no admin has checked yet, oldest first (at most 200).
     * @example
     * const { therapists } = await admin.api.admin.therapistsAwaitingVerification();
     */
    therapistsAwaitingVerification: () =>
      http.request<Reply<typeof therapistsAwaitingVerificationSchema>>('GET', '/admin/therapists/awaiting-verification'),
    /**
     * Marks a therapist's license as checked; only then are they listed in the directory.
     * @example
     * await admin.api.admin.verifyTherapist(therapistId);
     */
    verifyTherapist: (therapistId: string) =>
      http.request<Reply<typeof therapistVerificationSchema>>('POST', path`/admin/therapists/${therapistId}/verify`),
    /**
     * Adds a specialization to the catalogue.
     * @example
     * await admin.api.admin.addSpecialization({ nameEn: 'Anxiety disorders', nameEl: 'Αγχώδεις διαταραχές' });
     */
    addSpecialization: (entry: Body<typeof createCatalogEntryRequestSchema>) =>
      http.request<Reply<typeof catalogEntrySchema>>('POST', '/specializations', entry),
    /**
     * Adds a therapeutic approach to the catalogue.
     * @example
     * await admin.api.admin.addApproach({ nameEn: 'Cognitive behavioural therapy', nameEl: 'Γνωσιακή συμπεριφορική θεραπεία', abbreviation: 'CBT' });
     */
    addApproach: (entry: Body<typeof createCatalogEntryRequestSchema>) => http.request<Reply<typeof catalogEntrySchema>>('POST', '/approaches', entry),
    /**
     * Adds an appointment type.
     * @example
     * const type = await admin.api.admin.addAppointmentType({ name: 'Συνεδρία 50′', durationMinutes: 50 });
     */
    addAppointmentType: (type: Body<typeof createAppointmentTypeRequestSchema>) =>
      http.request<Reply<typeof appointmentTypeSchema>>('POST', '/appointment-types', type),
    /**
     * Reviews in one status, newest first (`pending` unless told); pass `nextCursor` back for more.
     * @example
     * const { reviews: waiting } = await admin.api.admin.reviews({ status: 'pending', limit: 50 });
     */
    reviews: (query: Query<typeof reviewModerationQuerySchema> = {}) =>
      http.request<Reply<typeof reviewModerationPageSchema>>('GET', withQuery('/admin/reviews', query)),
    /**
     * Publishes a pending review: it counts in the therapist's rating and the therapist is notified.
     * @example
     * await admin.api.admin.approveReview(review.id);
     */
    approveReview: (reviewId: string) => http.request<Reply<typeof reviewSchema>>('POST', path`/admin/reviews/${reviewId}/approve`),
    /**
     * Refuses a pending review, with the reason; it is never shown.
     * @example
     * await admin.api.admin.rejectReview(review.id, { reason: 'Names another client' });
     */
    rejectReview: (reviewId: string, request: Body<typeof rejectReviewRequestSchema>) =>
      http.request<Reply<typeof reviewSchema>>('POST', path`/admin/reviews/${reviewId}/reject`, request),
    /**
     * Takes a published review down, with the reason: it leaves the public list and the rating.
     * @example
     * await admin.api.admin.hideReview(review.id, { reason: 'Reveals health details of the author' });
     */
    hideReview: (reviewId: string, request: Body<typeof rejectReviewRequestSchema>) =>
      http.request<Reply<typeof reviewSchema>>('POST', path`/admin/reviews/${reviewId}/hide`, request),
  };
}

/**
 * The signed-in person's consents (terms, data processing, sharing with the therapist, telehealth,
 * business analytics): each with the text's version, time and address. A withdrawal takes effect at once.
 */
function consentsApi(http: HttpClient) {
  return {
    /**
     * Each kind's standing (`given`, `withdrawn`, `none`) and every record, newest first.
     * @example
     * const { current, records } = await client.api.consents.list();
     */
    list: () => callRoute(http, 'listMyConsents', {}),
    /**
     * Gives a consent to a version of its text; a newer version replaces the standing record.
     * @example
     * await client.api.consents.give({ kind: 'telehealth', textVersion: '2026-12' });
     */
    give: (request: CallBody<'giveConsent'>) => callRoute(http, 'giveConsent', { body: request }),
    /**
     * Withdraws a standing consent (404 when none stands).
     * @example
     * await client.api.consents.withdraw('therapist_sharing');
     */
    withdraw: (kind: ConsentKind) => callRoute(http, 'withdrawConsent', { params: { kind } }),
  };
}

/**
 * Wellness analytics: mood trends over Europe/Athens days (daily average, volatility, the week
 * against the week before, 30-day mood–sleep correlation), habit streaks and goal progress.
 */
function insightsApi(http: HttpClient) {
  return {
    /**
     * My insights over `from`..`to` (local dates, `to` inclusive; the last 30 days by default). Clients.
     * @example
     * const { mood, habits, goals } = await client.api.insights.mine({ from: '2026-11-01', to: '2026-11-30' });
     */
    mine: (query: Query<typeof insightsQuerySchema> = {}) => http.request<Reply<typeof wellnessInsightsSchema>>('GET', withQuery('/me/insights', query)),
    /**
     * A client's insights from what they share with me, their therapist: shared mood entries and goals
     * (habits are not shared). 404 for anyone not their therapist; SHARING_WITHDRAWN once they withdrew sharing consent.
     * @example
     * const { mood, goals } = await therapist.api.insights.ofClient(clientId);
     */
    ofClient: (clientId: string, query: Query<typeof insightsQuerySchema> = {}) =>
      http.request<Reply<typeof wellnessInsightsSchema>>('GET', withQuery(path`/clients/${clientId}/insights`, query)),
  };
}

/**
 * Intake and other forms (therapists). A client answers a sent form on the device, offline too:
 * the `intake_forms` collection holds the forms sent to them and an insert into `form_responses`
 * submits the answers once.
 */
function formsApi(http: HttpClient) {
  return {
    /**
     * The latest version of the platform's forms (the default intake form in Greek and English) and of mine.
     * @example
     * const [intake] = await therapist.api.forms.templates();
     */
    templates: () => http.request<Array<Reply<typeof formTemplateSchema>>>('GET', '/form-templates'),
    /**
     * Creates a form of my own, or with `versionOf` the next version of one (forms already sent keep theirs);
     * a field with `mapsTo` fills that history field when the client answers.
     * @example
     * await therapist.api.forms.createTemplate({ title: { el: 'Ύπνος', en: 'Sleep' }, fields: [{ id: 'hours', type: 'number', isRequired: true, label: { el: 'Ώρες ύπνου', en: 'Hours of sleep' } }] });
     */
    createTemplate: (request: Body<typeof createFormTemplateRequestSchema>) => http.request<Reply<typeof formTemplateSchema>>('POST', '/form-templates', request),
    /**
     * Sends a form to my client (the first booking already sends the intake form by itself).
     * @example
     * await therapist.api.forms.send(intake.id, { clientId });
     */
    send: (templateId: string, request: Body<typeof sendFormRequestSchema>) => http.request<Reply<typeof sentFormSchema>>('POST', path`/form-templates/${templateId}/send`, request),
    /**
     * The forms I sent to my client with the answers submitted so far (each read audited).
     * @example
     * const forms = await therapist.api.forms.sent(clientId);
     */
    sent: (clientId: string) => http.request<Array<Reply<typeof sentFormSchema>>>('GET', path`/clients/${clientId}/forms`),
  };
}

/** The client's own record and who read it; a platform admin's audited break-glass read. */
function myRecordApi(http: HttpClient) {
  return {
    /**
     * My histories, treatment plan goals, consents and appointments (clients; never the therapist's notes).
     * @example
     * const { histories, treatmentPlans } = await client.api.myRecord.get();
     */
    get: () => http.request<Reply<typeof myRecordSchema>>('GET', '/me/record'),
    /**
     * Every read of my clinical data by someone else, newest first.
     * @example
     * const reads = await client.api.myRecord.reads({ limit: 50 });
     */
    reads: (query: { limit?: number } = {}) => http.request<Array<Reply<typeof recordReadSchema>>>('GET', withQuery('/me/record/reads', query)),
    /**
     * Emergency read of a client's record by a super admin: a written reason (20+ characters), audited, the client and therapists told.
     * @example
     * const record = await admin.api.myRecord.breakGlass(clientId, { reason: 'Risk reported; the therapist cannot be reached' });
     */
    breakGlass: (clientId: string, request: Body<typeof breakGlassRequestSchema>) =>
      http.request<Reply<typeof breakGlassRecordSchema>>('POST', path`/admin/break-glass/clients/${clientId}`, request),
  };
}

/** A signed note's amendments and addenda, and its version history. */
function noteRecordsApi(http: HttpClient) {
  return {
    /**
     * Adds an amendment or addendum to my signed note; the original stays as signed.
     * @example
     * await therapist.api.noteRecords.amend(noteId, { kind: 'addendum', text: 'Client called after the session' });
     */
    amend: (noteId: string, request: Body<typeof createNoteAmendmentRequestSchema>) =>
      http.request<Reply<typeof noteAmendmentSchema>>('POST', path`/session-notes/${noteId}/amendments`, request),
    /**
     * My note with its earlier versions and its amendments.
     * @example
     * const { note, versions, amendments } = await therapist.api.noteRecords.get(noteId);
     */
    get: (noteId: string) => http.request<Reply<typeof sessionNoteRecordSchema>>('GET', path`/session-notes/${noteId}/record`),
  };
}

/** Note templates: the platform's SOAP, DAP and BIRP in Greek and English, and my own. */
function noteTemplatesApi(http: HttpClient) {
  return {
    /**
     * Templates to start a note from, mine first.
     * @example
     * const [soap] = await therapist.api.noteTemplates.list({ noteType: 'soap', language: 'el' });
     */
    list: (query: Query<typeof noteTemplateListQuerySchema> = {}) => http.request<Array<Reply<typeof noteTemplateSchema>>>('GET', withQuery('/note-templates', query)),
    /**
     * Saves a template of my own.
     * @example
     * await therapist.api.noteTemplates.create({ name: 'CBT', noteType: 'dap', content: { data: 'Thoughts', assessment: '', plan: '' } });
     */
    create: (request: Body<typeof createNoteTemplateRequestSchema>) => http.request<Reply<typeof noteTemplateSchema>>('POST', '/note-templates', request),
    /**
     * Deletes a template of mine.
     * @example
     * await therapist.api.noteTemplates.delete(templateId);
     */
    delete: (id: string) => http.request<void>('DELETE', path`/note-templates/${id}`),
  };
}

/** Clinical supervision between therapists. */
function supervisionApi(http: HttpClient) {
  return {
    /**
     * Chooses my supervisor; they may then read the notes I mark for review.
     * @example
     * await therapist.api.supervision.start({ supervisorId });
     */
    start: (request: Body<typeof startSupervisionRequestSchema>) => http.request<Reply<typeof supervisionRelationshipSchema>>('POST', '/supervision/relationships', request),
    /**
     * My relationships as supervisor or supervisee.
     * @example
     * const relationships = await therapist.api.supervision.relationships();
     */
    relationships: () => http.request<Array<Reply<typeof supervisionRelationshipSchema>>>('GET', '/supervision/relationships'),
    /**
     * Ends a relationship (either party).
     * @example
     * await therapist.api.supervision.end(relationshipId);
     */
    end: (id: string) => http.request<Reply<typeof supervisionRelationshipSchema>>('POST', path`/supervision/relationships/${id}/end`),
    /**
     * Marks my note for my supervisor's review.
     * @example
     * await therapist.api.supervision.requestReview(noteId);
     */
    requestReview: (noteId: string) => http.request<void>('POST', path`/session-notes/${noteId}/review-request`),
    /**
     * Notes my supervisees marked for review.
     * @example
     * const queue = await supervisor.api.supervision.reviewQueue();
     */
    reviewQueue: () => http.request<Array<Reply<typeof supervisedNoteSchema>>>('GET', '/supervision/review-queue'),
    /**
     * Co-signs a signed note marked for my review, with my notes.
     * @example
     * await supervisor.api.supervision.coSign(noteId, { supervisorNotes: 'Watch the countertransference' });
     */
    coSign: (noteId: string, request: Body<typeof coSignNoteRequestSchema>) => http.request<Reply<typeof supervisedNoteSchema>>('POST', path`/supervision/notes/${noteId}/co-sign`, request),
    /**
     * Records a supervision session I gave.
     * @example
     * await supervisor.api.supervision.addSession(relationshipId, { scheduledAt: '2026-12-03T10:00:00+02:00', topics: ['Grief'] });
     */
    addSession: (relationshipId: string, request: Body<typeof createSupervisionSessionRequestSchema>) =>
      http.request<Reply<typeof supervisionSessionSchema>>('POST', path`/supervision/relationships/${relationshipId}/sessions`, request),
    /**
     * The sessions of a relationship I am party to.
     * @example
     * const sessions = await therapist.api.supervision.sessions(relationshipId);
     */
    sessions: (relationshipId: string) => http.request<Array<Reply<typeof supervisionSessionSchema>>>('GET', path`/supervision/relationships/${relationshipId}/sessions`),
  };
}

/** A therapist's continuing education records. */
function continuingEducationApi(http: HttpClient) {
  return {
    /**
     * My courses, the credits still valid and my licence's expiry.
     * @example
     * const { courses, validCredits } = await therapist.api.continuingEducation.list();
     */
    list: () => http.request<Reply<typeof continuingEducationOverviewSchema>>('GET', '/continuing-education'),
    /**
     * Records a course; I am reminded 30 days before its credits lapse.
     * @example
     * await therapist.api.continuingEducation.add({ courseName: 'Trauma-focused CBT', creditsEarned: 12, expiryDate: '2028-06-30' });
     */
    add: (request: Body<typeof createContinuingEducationRequestSchema>) => http.request<Reply<typeof continuingEducationSchema>>('POST', '/continuing-education', request),
    /**
     * Deletes one of my courses.
     * @example
     * await therapist.api.continuingEducation.delete(courseId);
     */
    delete: (id: string) => http.request<void>('DELETE', path`/continuing-education/${id}`),
  };
}

export type RestApi = ReturnType<typeof createRestApi>;
