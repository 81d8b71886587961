// Placeholder so `npm run synth` works on a fresh clone; see README.md in this directory.
export const handler = async () => {
  throw new Error('firebreak: this is the placeholder Lambda code; run `npm run build:lambda` and deploy with FIREBREAK_LAMBDA_CODE=dist/lambda');
};
