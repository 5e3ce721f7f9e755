// What a web developer writes: fetch practices.json, find a practice, read its city's name.
import { readFileSync } from "node:fs";

const { practices } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const practice = practices.find((p) => p.indicator.number === 47);
if (practice.city.name !== "Kota Pekalongan") {
  console.error(`city.name is ${JSON.stringify(practice.city.name)}`);
  process.exit(1);
}
console.log(practice.city.name);
