import { describe, expect, it } from 'vitest';
import { cidrContains, cidrOverlaps, isPrivateCidr, parseCidr } from '../../src/core/cidr.js';

describe('cidr', () => {
  it('parses ranges and bare addresses', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ start: 167772160, end: 167837695 });
    expect(parseCidr('10.0.1.15')).toEqual({ start: 167772431, end: 167772431 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ start: 0, end: 4294967295 });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('256.0.0.0/8')).toBeUndefined();
    expect(parseCidr('::/0')).toBeUndefined();
  });

  it('normalises host bits', () => {
    expect(parseCidr('10.0.5.7/16')).toEqual(parseCidr('10.0.0.0/16'));
  });

  it('tests containment and overlap', () => {
    expect(cidrContains('10.0.0.0/8', '10.0.0.0/16')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '10.0.0.0/16')).toBe(true);
    expect(cidrContains('10.0.1.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrOverlaps('10.0.1.0/24', '10.0.0.0/16')).toBe(true);
    expect(cidrOverlaps('192.168.0.0/16', '10.0.0.0/16')).toBe(false);
  });

  it('recognises RFC 1918 ranges', () => {
    expect(isPrivateCidr('172.20.0.0/16')).toBe(true);
    expect(isPrivateCidr('203.0.113.0/24')).toBe(false);
  });
});
