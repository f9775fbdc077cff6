import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Queryable } from '../../db/types.js';
import { conflict, notFound } from '../../http/problem.js';
import { recordEvent } from '../../lib/events.js';
import type { Change, ProjectOrigin, ProjectService } from '../projects/service.js';
import type { TemplateService } from '../templates/service.js';
import { toLead } from './service.js';
import * as store from './store.js';

type CreateProject = components['schemas']['CreateProjectRequest'];
type LeadConversion = components['schemas']['LeadConversion'];

/**
 * Turns a won lead into a project: the project is created by the projects module (or from a
 * template), and in its transaction the lead is claimed (locked, checked won and not yet
 * converted) before the project is written and marked converted after.
 */
export class LeadConversionService {
  constructor(
    private readonly projects: ProjectService,
    private readonly templates: TemplateService,
  ) {}

  async convert(
    org: OrgContext,
    principal: Principal,
    leadId: string,
    input: CreateProject,
    change: Change,
  ): Promise<LeadConversion> {
    let converted: store.LeadRow | undefined;
    const origin: ProjectOrigin = {
      leadId,
      claim: async (tx) => {
        const lead = await store.findLead(tx, org.id, leadId, { lock: true });
        if (!lead) throw notFound('No such lead');
        if (lead.project_id) {
          const key = await store.projectKey(tx, org.id, lead.project_id);
          throw conflict(
            `Lead "${lead.name}" was already converted into project ${key} (${lead.project_id})`,
            'lead-already-converted',
          );
        }
        if (lead.status_category !== 'won') {
          throw conflict(
            `Only won leads are converted: "${lead.name}" is ${lead.status} (${lead.status_category}); move it to a won status first`,
            'lead-not-won',
          );
        }
        return { clientName: lead.company ?? lead.name };
      },
      link: async (tx: Queryable, project, now) => {
        await store.markConverted(tx, org.id, leadId, project.id, now);
        await recordEvent(tx, {
          orgId: org.id,
          actor: change.actor,
          entity: 'lead',
          entityId: leadId,
          action: 'converted',
          changes: { projectId: project.id, projectKey: project.key },
          meta: change.meta,
        });
        converted = await store.findLead(tx, org.id, leadId);
      },
    };
    const { templateId } = input;
    const project = templateId
      ? await this.templates.createProject(org, principal, { ...input, templateId }, change, origin)
      : await this.projects.create(org, principal, input, change, { origin });
    return { lead: toLead(converted!), project };
  }
}
