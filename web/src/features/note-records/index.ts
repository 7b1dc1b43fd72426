export { NoteRecordPage } from './NoteRecordPage';
export { NoteTemplatesPage } from './NoteTemplatesPage';
