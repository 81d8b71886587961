/**
 * REST API metrics are keyed by the API's name: "API Gateway removes non-ASCII characters from the
 * ApiName dimension … If the APIName contains no ASCII characters, the API ID is used" (DG
 * api-gateway-metrics-and-dimensions). Shared by the metrics source and the sandbox that answers it.
 */
export function apiNameDimension(name: string, apiId: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '');
  return ascii || apiId;
}
