import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import {
  type ProjectFields,
  projectBody,
  projectDetailColumns,
  projectFieldOptions,
} from '../project/index.js';
import { findTemplate } from '../project/parts.js';

interface ConvertOptions extends ProjectFields {
  key: string;
  name: string;
  template?: string;
  use?: boolean;
}

export function newCmdLeadConvert(f: Factory): Command {
  return projectFieldOptions(
    new Command('convert')
      .description(
        'Turn a won lead into a project (Managers); the project names the lead, and the lead it',
      )
      .argument('<lead>', 'the lead id')
      .requiredOption('--key <key>', 'the project key: 2–10 capitals or digits, such as WEB')
      .requiredOption('--name <name>', "the project's name"),
  )
    .option(
      '--template <template>',
      "copy a template's workflow, fields, milestones and tasks (name or id); dates follow --start",
    )
    .option('--use', 'make the project the default of task commands')
    .addHelpText(
      'after',
      `
The project's client is the lead's company (else its name) unless --client says otherwise.
Exits 5 when the lead is not won, or was converted already.

Examples:
  $ pm lead convert 3d2f… --key WEB --name "Website" --use
  $ pm lead convert 3d2f… --key RENO --name "Renovation" --template Renovation --start 2026-09-01`,
    )
    .action(async (id: string, o: ConvertOptions) => {
      const pm = f.client();
      const template = o.template ? await findTemplate(pm, currentOrg(f), o.template) : undefined;
      const conversion = await pm.leads.convert(id, {
        ...projectBody(o),
        key: o.key.toUpperCase(),
        name: o.name,
        ...(template ? { templateId: template.id } : {}),
      });
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') f.io.stdout.write(`${JSON.stringify(conversion, null, 2)}\n`);
      else out.record(conversion.project, projectDetailColumns);
      notice(f, `Converted lead "${conversion.lead.name}" into project ${conversion.project.key}`);
      if (o.use) f.config().update(f.settings().profile, { project: conversion.project.key });
    });
}
