import { useTranslation } from 'react-i18next';
import type { SessionNoteContent } from '@therapy-field/sync';

/** A note's sections under their headings (custom notes carry their own headings). */
export function NoteContent({ content }: { content: SessionNoteContent }) {
  const { t } = useTranslation('noteRecords');
  const sections = 'sections' in content ? content.sections.map((section) => [section.heading, section.text] as const) : Object.entries(content).map(([key, text]) => [t(`sections.${key}`), text] as const);
  return (
    <dl>
      {sections.map(([heading, text]) => (
        <div key={heading}>
          <dt>{heading}</dt>
          <dd>{text || '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
