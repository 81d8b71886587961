import { describe, expect, it } from 'vitest';
import { truncationText } from '../../src/core/coverage.js';

describe('truncationText', () => {
  it('says what was kept of how many, from which period, and marks an estimated total', () => {
    expect(truncationText({ kept: 5000, total: 751357, totalExact: true, from: '2024-05-01T11:52:03.000Z', until: '2024-05-01T12:00:00.000Z' })).toBe('newest 5,000 of 751,357, 11:52–12:00');
    expect(truncationText({ kept: 5000, total: 751357, totalExact: false, from: '2024-05-01T11:52:03.000Z', until: '2024-05-01T12:00:00.000Z' })).toBe('newest 5,000 of ~751,357, 11:52–12:00');
    expect(truncationText({ kept: 40, total: 90 })).toBe('40 of 90');
  });
});
