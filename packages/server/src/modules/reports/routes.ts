import type { Handlers } from '../../http/handler-types.js';
import type { Clock } from '../../lib/clock.js';
import { requireOrg } from '../access/authorize.js';
import { reportCsv } from './csv.js';
import { reportPdf } from './pdf/report-pdf.js';
import type { ReportService } from './service.js';

const attachment = (name: string) => ({ 'Content-Disposition': `attachment; filename="${name}"` });

export function reportHandlers(
  reports: ReportService,
  clock: Clock,
): Pick<Handlers, 'getTimeReport'> {
  return {
    getTimeReport: async ({ org, principal, query, format }) => {
      const report = await reports.prepare(requireOrg(org), principal, query);
      const { request } = report;
      const file = `time-report-${request.from}-${request.to}`;
      if (format === 'text/csv') {
        return {
          status: 200,
          contentType: 'text/csv',
          headers: attachment(`${file}.csv`),
          body: reportCsv(reports.entries(report), request.bom),
        };
      }
      const summary = await reports.summarize(report);
      if (format === 'application/pdf') {
        return {
          status: 200,
          contentType: 'application/pdf',
          headers: attachment(`${file}.pdf`),
          body: reportPdf({
            orgName: report.org.name,
            request,
            described: report.described,
            summary,
            entries: reports.entries(report),
            generatedAt: clock.now(),
          }),
        };
      }
      return { status: 200, body: summary };
    },
  };
}
