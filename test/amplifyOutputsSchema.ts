// Amplify's own JSON schema of amplify_outputs.json (version 1.5, vendored in test/fixtures from
// amplify-backend: no npm package ships it as JSON), compiled once with ajv's draft 2020-12.
import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import * as path from "path";

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "amplify_outputs.schema_v1.5.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** Amplify schema 1.5's errors for `outputs` (as JSON, as an app reads it): [] when it conforms. */
export function schemaErrors(outputs: unknown): string[] {
    if (validate(JSON.parse(JSON.stringify(outputs)))) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}
