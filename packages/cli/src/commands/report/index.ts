import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdReportTime } from './time.js';

export function newCmdReport(f: Factory): Command {
  return new Command('report')
    .description('Reports of the current organization: time')
    .addCommand(newCmdReportTime(f));
}
