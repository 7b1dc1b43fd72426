import { z } from 'zod';
import { findUnstorableText, unstorableTextMessage } from '../storable-text.js';

/** Who may write a collection from a device. */
export type CollectionAccess = 'read-write' | 'mark-read' | 'read-only';

/** A document as it travels: the collection's fields plus RxDB's tombstone flag. */
export type Synced<Doc> = Doc & { _deleted: boolean };

/** The JSON schema RxDB stores a collection with (a plain object: sync/ does not depend on rxdb). */
export interface RxJsonSchemaLike {
  version: number;
  primaryKey: string;
  type: 'object';
  properties: Record<string, unknown>;
  required: string[];
  indexes?: string[];
}

export interface CollectionDefinition<Name extends string, Shape extends z.ZodRawShape> {
  name: Name;
  /** The one source of truth: the RxDB JSON schema and the TS type are derived from it. */
  schema: z.ZodObject<Shape>;
  /** The schema with `_deleted`, as documents are pulled and pushed. */
  wireSchema: z.ZodObject<Shape & { _deleted: z.ZodBoolean }>;
  rxSchema: RxJsonSchemaLike;
  access: CollectionAccess;
  /** Fields only the server sets; devices may omit them and the conflict check ignores them. */
  serverFields: readonly string[];
  /**
   * Checks beyond the field types that need the current time (e.g. "not in the future"), and
   * that every text can be stored; each string is one reason. Kept out of `schema` because JSON
   * schema cannot express them.
   */
  check: (doc: z.infer<z.ZodObject<Shape>>, now: Date) => string[];
}

export interface DefineCollectionOptions<Name extends string, Shape extends z.ZodRawShape> {
  name: Name;
  schema: z.ZodObject<Shape>;
  access: CollectionAccess;
  serverFields?: readonly string[];
  /** Fields RxDB indexes; each must be required and bounded (strings need `.max()`). */
  indexes?: Array<keyof Shape & string>;
  /** @default 0 — bump with a migration strategy when the shape changes. */
  version?: number;
  check?: (doc: z.infer<z.ZodObject<Shape>>, now: Date) => string[];
}

/**
 * Declares a synced collection once with zod; the RxDB JSON schema (`z.toJSONSchema` plus primary
 * key and indexes) and the TypeScript type (`z.infer`) come from that single declaration.
 */
export function defineCollection<Name extends string, Shape extends z.ZodRawShape & { id: z.ZodType<string> }>(
  options: DefineCollectionOptions<Name, Shape>,
): CollectionDefinition<Name, Shape> {
  const json = z.toJSONSchema(options.schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const properties = { ...json.properties, id: { ...json.properties.id, maxLength: 36 } };
  return {
    name: options.name,
    schema: options.schema,
    wireSchema: options.schema.extend({ _deleted: z.boolean() }) as CollectionDefinition<Name, Shape>['wireSchema'],
    rxSchema: {
      version: options.version ?? 0,
      primaryKey: 'id',
      type: 'object',
      properties,
      required: json.required ?? [],
      ...(options.indexes?.length ? { indexes: options.indexes } : {}),
    },
    access: options.access,
    serverFields: options.serverFields ?? ['userId', 'updatedAt'],
    check: (doc, now) => {
      // Per document, so one bad row of a push batch is rejected and the others are stored.
      const unstorable = findUnstorableText(doc);
      return [...(unstorable === undefined ? [] : [`${unstorable}: ${unstorableTextMessage}`]), ...(options.check?.(doc, now) ?? [])];
    },
  };
}

/** The TypeScript type of a collection's documents. */
export type DocOf<C> = C extends CollectionDefinition<string, infer Shape> ? z.infer<z.ZodObject<Shape>> : never;
