import type { CapturedCall, ScenarioWriter, SourceRead } from '../core/recording.js';

/**
 * Shared pieces of the sources' `record` steps. Most sources write every answer they read as the
 * scenario's AWS-shaped data, one writer per service (`<service>/record.ts`); a source composes
 * the writers of the services it reads. Writing an answer twice changes nothing, so two sources
 * that read the same thing (and the reads made before the sources ran) need no coordination.
 */
export type AnswerWriter = (call: CapturedCall, writer: ScenarioWriter) => void;

export type Json = Record<string, unknown>;

/** A record step writing every successful answer with these writers. */
export function recordAnswers(...writers: AnswerWriter[]) {
  return (read: SourceRead, writer: ScenarioWriter): void => {
    for (const call of read.calls) if (call.output) for (const write of writers) write(call, writer);
  };
}

/** The list under `key` of an answer (`items`, `Items`, `VpcEndpoints`…), or none. */
export function itemsOf(answer: Json | undefined, key: string): Json[] {
  const list = answer?.[key];
  return Array.isArray(list) ? (list.filter((item) => item && typeof item === 'object') as Json[]) : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Each item that has an id under `key`, with that id (items without one are not written). */
export function eachWithId(list: readonly Json[], key: string, write: (id: string, item: Json) => void): void {
  for (const item of list) {
    const id = text(item[key]);
    if (id) write(id, item);
  }
}
