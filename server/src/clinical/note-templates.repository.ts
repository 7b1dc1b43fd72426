import { QueryTypes, type Sequelize } from 'sequelize';
import type { Language, NoteType, SessionNoteContent } from '@therapy-field/sync';

export interface NoteTemplateRow {
  id: string;
  therapist_id: string | null;
  name: string;
  note_type: NoteType;
  therapeutic_approach: string | null;
  language: Language;
  template_content: SessionNoteContent;
  is_default: boolean;
  created_at: Date;
}

export interface NoteTemplateFilter {
  noteType?: NoteType;
  therapeuticApproach?: string;
  language?: Language;
}

const COLUMNS = 'id, therapist_id, name, note_type, therapeutic_approach, language, template_content, is_default, created_at';

/** `note_templates`: the platform's (no therapist) and one therapist's own. */
export class NoteTemplatesRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /** The therapist's own first, then the platform's; a filter left out matches all. */
  available(therapistId: string, filter: NoteTemplateFilter): Promise<NoteTemplateRow[]> {
    return this.sequelize.query<NoteTemplateRow>(
      `SELECT ${COLUMNS} FROM note_templates
        WHERE (therapist_id = :therapistId OR therapist_id IS NULL)
          AND (CAST(:noteType AS note_type) IS NULL OR note_type = CAST(:noteType AS note_type))
          AND (CAST(:approach AS text) IS NULL OR therapeutic_approach IS NULL OR lower(therapeutic_approach) = lower(:approach))
          AND (CAST(:language AS text) IS NULL OR language = :language)
        ORDER BY therapist_id IS NULL, note_type, language, name, id`,
      { type: QueryTypes.SELECT, replacements: { therapistId, noteType: filter.noteType ?? null, approach: filter.therapeuticApproach ?? null, language: filter.language ?? null } },
    );
  }

  async find(id: string, therapistId: string): Promise<NoteTemplateRow | null> {
    const [row] = await this.sequelize.query<NoteTemplateRow>(
      `SELECT ${COLUMNS} FROM note_templates WHERE id = :id AND (therapist_id = :therapistId OR therapist_id IS NULL)`,
      { type: QueryTypes.SELECT, replacements: { id, therapistId } },
    );
    return row ?? null;
  }

  async insert(template: { therapistId: string; name: string; noteType: NoteType; therapeuticApproach: string | null; language: Language; content: SessionNoteContent }): Promise<NoteTemplateRow> {
    const [row] = await this.sequelize.query<NoteTemplateRow>(
      `INSERT INTO note_templates (therapist_id, name, note_type, therapeutic_approach, language, template_content)
       VALUES (:therapistId, :name, :noteType, :therapeuticApproach, :language, CAST(:content AS jsonb)) RETURNING ${COLUMNS}`,
      { type: QueryTypes.SELECT, replacements: { ...template, content: JSON.stringify(template.content) } },
    );
    return row!;
  }

  /** The therapist's own only; true when one was deleted. */
  async delete(id: string, therapistId: string): Promise<boolean> {
    const rows = await this.sequelize.query<{ id: string }>(`DELETE FROM note_templates WHERE id = :id AND therapist_id = :therapistId RETURNING id`, {
      type: QueryTypes.SELECT,
      replacements: { id, therapistId },
    });
    return rows.length > 0;
  }
}
