import type { Evidence, EvidenceMap, PolicyDocument, SourceId } from './evidence.js';

/**
 * The `describe` step of a source: the configuration lines its evidence contributes to the
 * bundle, one fact per line. Each source declares its own (next to how it reads), so adding a
 * source adds its lines without touching the bundle; the bundle only orders and formats them.
 */

/** Scalar facts a line carries as `key=value`: undefined and null are left out, arrays comma-joined. */
export type PairValue = string | number | boolean | readonly string[] | undefined | null;

/**
 * The bundle's formatters, handed to every describer: one way to print a fact. The JSON cut
 * redacts before it cuts (a secret cut in half would no longer be recognised), which only the
 * bundle can do, so describers format through this kit instead of their own helpers.
 */
export interface DescribeKit {
  pairs(fields: Record<string, PairValue>): string;
  /** Epoch ms or ISO string → `2024-05-01T10:00:00Z`. */
  time(value: number | string | undefined): string;
  /** Compact JSON, cut to `max` characters. */
  json(value: unknown, max?: number): string;
  /** One line per statement (`<label> [<sid>]: {...}`), or `<label>: none`. */
  policy(label: string, policy: PolicyDocument | null | undefined): string[];
}

export interface Describer<K extends SourceId = SourceId> {
  /**
   * Where the lines go in the configuration section, along the request path (client → DNS →
   * edge → API → backend), so a truncated section loses the backend details last read.
   * Built-in sources use multiples of ten (see `docs/architecture.md`).
   */
  order: number;
  lines(evidence: EvidenceMap[K], kit: DescribeKit, all: Evidence): string[];
}

/** A describer bound to the evidence it reads: what the bundle is handed. */
export interface EvidenceDescriber {
  source: SourceId;
  order: number;
  lines(evidence: Evidence, kit: DescribeKit): string[];
}

/** Binds a source's describer to its evidence id. */
export function bindDescriber<K extends SourceId>(source: K, describer: Describer<K>): EvidenceDescriber {
  return {
    source,
    order: describer.order,
    lines(evidence, kit) {
      const own = evidence[source];
      return own === undefined ? [] : describer.lines(own as EvidenceMap[K], kit, evidence);
    },
  };
}

/** Every describer's lines in order (ties keep the order given), each source once. */
export function describeEvidence(evidence: Evidence, describers: readonly EvidenceDescriber[], kit: DescribeKit): string[] {
  const seen = new Set<SourceId>();
  const unique = describers.filter((d) => !seen.has(d.source) && seen.add(d.source));
  const ordered = unique.map((d, index) => ({ d, index })).sort((a, b) => a.d.order - b.d.order || a.index - b.index);
  return ordered.flatMap(({ d }) => d.lines(evidence, kit));
}
