import type { CoverageStatus } from '../../src/core/coverage.js';
import type { EvidenceMap, SourceId } from '../../src/core/evidence.js';
import { defineSource, type Source } from '../../src/sources/types.js';

/**
 * A dependency that makes no AWS call and hands over the given evidence, so a source can be
 * tested on exactly the input it reads, without the sources that normally produce it.
 */
export function stubSource<K extends SourceId>(id: K, evidence: EvidenceMap[K], status: CoverageStatus = 'ok'): Source<K> {
  return defineSource({ id, title: `stub ${id}`, dependsOn: [], calls: { chain: 0 }, run: async () => ({ status, evidence, reason: 'stub' }) });
}
