/**
 * Sources no wire case can read on moto, and why (the table in docs/wire.md). Every other source
 * must be read (ok, empty or not configured) by at least one case.
 */
export const SOURCE_NOTES: Record<string, string> = {
  'cloudtrail.changes': 'moto answers LookupEvents with HTTP 500 (HTML): every case shows the failure path',
  'cloudtrail.denies': 'moto answers LookupEvents with HTTP 500 (HTML): every case shows the failure path',
  'apigwv2.authorizers': 'moto has no apigatewayv2 GetAuthorizers (HTTP 500, HTML): the HTTP cases show the failure path',
};
