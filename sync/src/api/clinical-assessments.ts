import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common.js';

/** An ICD-10 code: a letter, two digits, then an optional dot and up to four characters (e.g. F32.1, F41.0). */
export const icd10CodeSchema = z.string().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'an ICD-10 code such as F32.1');

export const diagnosisSchema = z
  .object({
    code: icd10CodeSchema,
    description: z.string().trim().min(1).max(300).optional(),
    /** The main diagnosis of the assessment. */
    primary: z.boolean().default(false),
  })
  .strict();
export type Diagnosis = z.output<typeof diagnosisSchema>;

const assessmentFields = {
  /** e.g. initial, diagnostic, risk, progress, discharge. */
  assessmentType: z.string().trim().min(1).max(100),
  /** e.g. SCID-5, MINI, clinical interview. */
  assessmentTool: z.string().trim().min(1).max(100),
  score: z.number().min(-1_000_000).max(1_000_000),
  /** The therapist's findings and formulation (encrypted at rest). */
  findings: z.string().trim().min(1).max(20_000),
  diagnoses: z.array(diagnosisSchema).max(20),
  administeredDate: z.iso.date(),
};

/** `POST /clients/{clientId}/assessments`: the therapist's assessment of one of their clients. */
export const createClinicalAssessmentRequestSchema = z
  .object({
    assessmentType: assessmentFields.assessmentType,
    assessmentTool: assessmentFields.assessmentTool.optional(),
    score: assessmentFields.score.optional(),
    findings: assessmentFields.findings.optional(),
    diagnoses: assessmentFields.diagnoses.default([]),
    administeredDate: assessmentFields.administeredDate,
  })
  .strict();
export type CreateClinicalAssessmentRequest = z.input<typeof createClinicalAssessmentRequestSchema>;

/** `PATCH /assessments/{id}`: fields left out stay as they are, null clears one. */
export const updateClinicalAssessmentRequestSchema = z
  .object({
    assessmentType: assessmentFields.assessmentType.optional(),
    assessmentTool: assessmentFields.assessmentTool.nullable().optional(),
    score: assessmentFields.score.nullable().optional(),
    findings: assessmentFields.findings.nullable().optional(),
    diagnoses: assessmentFields.diagnoses.optional(),
    administeredDate: assessmentFields.administeredDate.optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), 'change at least one field');
export type UpdateClinicalAssessmentRequest = z.input<typeof updateClinicalAssessmentRequestSchema>;

export const clinicalAssessmentSchema = z.object({
  id: uuidSchema,
  clientId: uuidSchema,
  therapistId: uuidSchema,
  assessmentType: z.string(),
  assessmentTool: z.string().nullable(),
  score: z.number().nullable(),
  findings: z.string().nullable(),
  diagnoses: z.array(z.object({ code: z.string(), description: z.string().nullable(), primary: z.boolean() })),
  administeredDate: z.iso.date(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type ClinicalAssessment = z.infer<typeof clinicalAssessmentSchema>;
