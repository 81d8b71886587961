/**
 * CloudTrail records of calls that CREATE or READ a secret carry it in a field whose name says
 * nothing (`CreateApiKey`'s `value`, `PutParameter`'s `value`, `CreateSecret`'s `secretString`):
 * those fields are redacted by name whenever the record is one of these calls, whatever the value
 * looks like. (CloudTrail masks some of them itself with HIDDEN_DUE_TO_SECURITY_REASONS; a trail
 * copied into a log, or a call CloudTrail does not mask, carries the value.)
 */

/** Event name → the request or response fields that hold the secret (lower case) and the marker kind. */
const SECRET_FIELDS: Record<string, Record<string, string>> = {
  // API Gateway: an API key's value when created, imported or read with includeValue.
  CreateApiKey: { value: 'api_key' },
  GetApiKey: { value: 'api_key' },
  GetApiKeys: { value: 'api_key' },
  ImportApiKeys: { body: 'api_key' },
  // AppSync API keys are their own id.
  // Secrets Manager and Parameter Store.
  CreateSecret: { secretstring: 'secret_value', secretbinary: 'secret_value' },
  PutSecretValue: { secretstring: 'secret_value', secretbinary: 'secret_value' },
  UpdateSecret: { secretstring: 'secret_value', secretbinary: 'secret_value' },
  GetSecretValue: { secretstring: 'secret_value', secretbinary: 'secret_value' },
  PutParameter: { value: 'secret_value' },
  GetParameter: { value: 'secret_value' },
  GetParameters: { value: 'secret_value' },
  GetParametersByPath: { value: 'secret_value' },
  // IAM: console passwords, access keys, service-specific credentials.
  CreateLoginProfile: { password: 'password' },
  UpdateLoginProfile: { password: 'password' },
  ChangePassword: { oldpassword: 'password', newpassword: 'password', previouspassword: 'password', proposedpassword: 'password' },
  CreateAccessKey: { secretaccesskey: 'aws_secret_access_key' },
  CreateServiceSpecificCredential: { servicepassword: 'password' },
  ResetServiceSpecificCredential: { servicepassword: 'password' },
  // Cognito user pools.
  AdminSetUserPassword: { password: 'password' },
  AdminCreateUser: { temporarypassword: 'password' },
  SignUp: { password: 'password' },
  ConfirmForgotPassword: { password: 'password' },
  CreateUserPoolClient: { clientsecret: 'api_key' },
  DescribeUserPoolClient: { clientsecret: 'api_key' },
  // EventBridge connections (API destinations).
  CreateConnection: { apikeyvalue: 'api_key', password: 'password', clientsecret: 'api_key' },
  UpdateConnection: { apikeyvalue: 'api_key', password: 'password', clientsecret: 'api_key' },
  // Databases and brokers.
  CreateDBInstance: { masteruserpassword: 'password' },
  ModifyDBInstance: { masteruserpassword: 'password' },
  CreateDBCluster: { masteruserpassword: 'password' },
  ModifyDBCluster: { masteruserpassword: 'password' },
  CreateCluster: { masteruserpassword: 'password' },
  ModifyCluster: { masteruserpassword: 'password' },
  CreateUser: { password: 'password', passwords: 'password', authtoken: 'password' },
  UpdateUser: { password: 'password', passwords: 'password' },
  CreateBroker: { password: 'password' },
  CreateReplicationGroup: { authtoken: 'password' },
  ModifyReplicationGroup: { authtoken: 'password' },
  CreateDirectory: { password: 'password' },
  CreateMicrosoftAD: { password: 'password' },
  // Source credentials for builds and hosting.
  ImportSourceCredentials: { token: 'api_key' },
  CreateApp: { accesstoken: 'api_key', oauthtoken: 'api_key', basicauthcredentials: 'password' },
  UpdateApp: { accesstoken: 'api_key', oauthtoken: 'api_key', basicauthcredentials: 'password' },
  CreateBranch: { basicauthcredentials: 'password' },
  UpdateBranch: { basicauthcredentials: 'password' },
  CreateDeliveryStream: { accesskey: 'api_key' },
  UpdateDestination: { accesskey: 'api_key' },
};

/** The secret fields of one call, by event name; undefined for every other call. */
export function secretFieldsOf(eventName: string): ReadonlyMap<string, string> | undefined {
  const fields = Object.hasOwn(SECRET_FIELDS, eventName) ? SECRET_FIELDS[eventName] : undefined;
  return fields ? new Map(Object.entries(fields)) : undefined;
}

/** `"eventName":"CreateApiKey"`, `eventName=CreateApiKey`, `EventName: CreateApiKey`. */
export const EVENT_NAME = /[eE]ventName\\?["']?[ \t]*[:=][ \t]*\\?["']?([A-Za-z0-9]{1,64})/g;

/** The secret fields of every secret-creating call a text records (a CloudTrail record in a log line, a change line). */
export function cloudTrailSecretFields(text: string): ReadonlyMap<string, string> | undefined {
  if (!text.includes('ventName')) return undefined;
  let found: Map<string, string> | undefined;
  for (const m of text.matchAll(EVENT_NAME)) {
    const fields = secretFieldsOf(m[1] as string);
    if (!fields) continue;
    found ??= new Map();
    for (const [field, kind] of fields) found.set(field, kind);
  }
  return found;
}
