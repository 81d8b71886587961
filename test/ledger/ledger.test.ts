import { describe, expect, it } from 'vitest';
import { createLedger, openLedgerStore } from '../../src/ledger/ledger.js';
import { createTableInput, TABLE } from '../../src/ledger/table.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('table definition', () => {
  it('keys the table by pk/sk and names the TTL attribute', () => {
    const input = createTableInput('firebreak');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(TABLE.ttlAttribute).toBe('expiresAt');
  });
});

describe('openLedgerStore', () => {
  it('starts embedded dynalite on loopback, creates the table and works end to end', async () => {
    const opened = await openLedgerStore({ tableName: 'firebreak', embedded: true });
    try {
      expect(opened.location).toBe('embedded (in memory)');
      const ledger = createLedger(opened.store, { quota: { dailyTokens: 1_000 } });
      await ledger.quota.reserve('U1', 10, { reservationId: 'r' });
      expect((await ledger.quota.usage('U1')).used).toBe(10);
    } finally {
      await opened.close();
    }
  });
});
