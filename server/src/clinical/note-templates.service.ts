import { NotFoundError, type CreateNoteTemplateRequest, type NoteTemplate } from '@therapy-field/sync';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { NoteTemplateFilter, NoteTemplateRow, NoteTemplatesRepository } from './note-templates.repository.js';

/** Note templates to start a note from: the platform's defaults and the therapist's own. */
export class NoteTemplatesService {
  constructor(private readonly repository: NoteTemplatesRepository) {}

  async list(viewer: AuthenticatedUser, filter: NoteTemplateFilter): Promise<NoteTemplate[]> {
    return (await this.repository.available(viewer.id, filter)).map(toNoteTemplate);
  }

  async get(viewer: AuthenticatedUser, id: string): Promise<NoteTemplate> {
    const row = await this.repository.find(id, viewer.id);
    if (!row) throw new NotFoundError('Note template');
    return toNoteTemplate(row);
  }

  async create(viewer: AuthenticatedUser, request: CreateNoteTemplateRequest): Promise<NoteTemplate> {
    const row = await this.repository.insert({
      therapistId: viewer.id,
      name: request.name,
      noteType: request.noteType,
      therapeuticApproach: request.therapeuticApproach ?? null,
      language: request.language,
      content: request.content,
    });
    return toNoteTemplate(row);
  }

  async delete(viewer: AuthenticatedUser, id: string): Promise<void> {
    if (!(await this.repository.delete(id, viewer.id))) throw new NotFoundError('Note template');
  }
}

function toNoteTemplate(row: NoteTemplateRow): NoteTemplate {
  return {
    id: row.id,
    therapistId: row.therapist_id,
    name: row.name,
    noteType: row.note_type,
    therapeuticApproach: row.therapeutic_approach,
    language: row.language,
    content: row.template_content,
    isDefault: row.is_default,
    createdAt: toIsoInZone(row.created_at, 'Europe/Athens'),
  };
}
