// Validate a JSON document against a JSON Schema 2020-12 as a web developer would: ajv's
// Ajv2020 with its defaults (strict mode) and ajv-formats. Print "valid", or each error as
// "instancePath message" on a line of its own. Strict mode's warnings (ajv logs them and goes
// on) are made errors here, so a schema compiles only if ajv has nothing to say of it.
// Usage: node validate_schema.mjs SCHEMA DOCUMENT
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [schemaFile, documentFile] = process.argv.slice(2);
const fail = (message) => {
  throw new Error(`ajv warned: ${message}`);
};
const ajv = new Ajv2020({ logger: { log: console.log, warn: fail, error: fail } });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
if (validate(JSON.parse(readFileSync(documentFile, "utf8")))) {
  console.log("valid");
} else {
  for (const error of validate.errors) console.log(`${error.instancePath} ${error.message}`);
}
