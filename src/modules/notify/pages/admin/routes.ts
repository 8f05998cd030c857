import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { notFound, type FieldError } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import {
  administeredOrganisation,
  isPlatformAdmin,
  organisationAdminIndex,
  type OrganisationAdminArea,
} from '../../../identity/index.js';
import { isUuid } from '../../../../platform/validation/uuid.js';
import {
  createApiKey,
  keyTypeFromName,
  revokeApiKey,
  setDeliveryCallback,
} from '../../commands/services.js';
import { createTemplate, updateTemplate } from '../../commands/templates.js';
import { notifySealingKey } from '../../crypto.js';
import {
  NOTIFICATION_TYPES,
  POSTAGE,
  type NotificationType,
  type Postage,
} from '../../db/tables.js';
import { mayAdministerNotify, notifyAdminRole } from '../../policies/admin.js';
import { findApiKey, findService, listApiKeys, listTemplateVersions } from '../../queries/admin.js';
import { findTemplate, listTemplates } from '../../queries/templates.js';
import {
  emailHtml,
  fill,
  placeholders,
  SMS_CHAR_LIMIT,
  smsFragments,
} from '../../templates/render.js';

const VIEWS = 'modules/notify/pages/admin';
const view = (name: string) => `${VIEWS}/${name}.njk`;

/** What the commands say, as message keys (the commands also serve the command line, in English). */
const MESSAGE_KEYS: Record<string, string> = {
  'Choose e-mail, text message or letter': 'notify.admin.error.type',
  'Enter a template name': 'notify.admin.error.templateName',
  'Template name must be 255 characters or fewer': 'notify.admin.error.templateNameLong',
  'Enter the message': 'notify.admin.error.body',
  'Enter a subject line': 'notify.admin.error.subject',
  'Enter a heading': 'notify.admin.error.heading',
  'Enter a URL': 'notify.admin.error.callbackUrl',
  'The callback URL must start with https://': 'notify.admin.error.callbackHttps',
  'The bearer token must be at least 10 characters': 'notify.admin.error.callbackToken',
};

function translated(errors: { field: string; message: string }[]): FieldError[] {
  return errors.map((e) => ({
    field: e.field,
    message:
      MESSAGE_KEYS[e.message] ?? (e.field === 'postage' ? 'notify.admin.error.postage' : e.message),
  }));
}

const KEY_TYPE_NAMES = ['live', 'team', 'test'] as const;

const NOTIFY_AREA: OrganisationAdminArea = {
  path: '/admin/notify',
  may: mayAdministerNotify,
  activity: 'notifications',
};

/** The type as the pages name it: Notify's `normal` key is a live key. */
function keyTypeName(type: string): string {
  return type === 'normal' ? 'live' : type;
}

/** The values typed into the preview form: `value-0`, `value-1`, … in placeholder order. */
function previewValues(query: unknown, names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  names.forEach((name, index) => {
    const value = formText(query, `value-${index}`);
    if (value) values[name] = value;
  });
  return values;
}

/** A template (or one of its versions) rendered with the sample values, as the preview shows it. */
function preview(
  template: { type: NotificationType; subject: string | null; body: string },
  values: Record<string, string>,
) {
  if (template.type === 'sms') {
    const text = fill(template.body, values);
    return {
      text,
      sms: smsFragments(text),
      tooLong: smsFragments(text).characters > SMS_CHAR_LIMIT,
    };
  }
  return {
    subject: fill(template.subject ?? '', values),
    html: emailHtml(template.body, values),
  };
}

/**
 * The notifications admin pages: an organisation's admins and service owners (and platform
 * admins, for every organisation) manage its API keys, templates and delivery-status callback.
 * Every change goes through the notify commands, which write the audit entries.
 */
export function notifyAdminRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const sealingKey = notifySealingKey(context.config);

  const organisationFor = (request: FastifyRequest, reply: FastifyReply) =>
    administeredOrganisation(db, NOTIFY_AREA, request, reply);

  function actor(request: FastifyRequest, user: CurrentUser, organisationId: string): Actor {
    return {
      userId: user.id,
      organisationId: user.organisationId,
      role: notifyAdminRole(user, organisationId),
      requestId: request.id,
    };
  }

  /** The template in the URL, if it is one of the organisation's (hidden ones never are). */
  async function templateFor(organisationId: string, templateId: string, version?: number) {
    if (!isUuid(templateId)) return undefined;
    const service = await findService(db, organisationId);
    if (!service) return undefined;
    return findTemplate(db, service.id, templateId, version);
  }

  organisationAdminIndex(app, db, NOTIFY_AREA, view('organisations'));

  app.get('/admin/notify/:org', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const service = await findService(db, found.organisation.id);
    const keys = service ? await listApiKeys(db, service.id) : [];
    const templates = service ? await listTemplates(db, service.id) : [];
    return reply.view(view('overview'), {
      ...found,
      service,
      activeKeys: keys.filter((key) => !key.revokedAt).length,
      templateCount: templates.length,
      backLink: isPlatformAdmin(found.user) ? '/admin/notify' : undefined,
    });
  });

  // API keys ---------------------------------------------------------------------------------

  app.get('/admin/notify/:org/keys', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const service = await findService(db, found.organisation.id);
    const revoked = (request.query as { revoked?: string }).revoked;
    const keys = service ? await listApiKeys(db, service.id) : [];
    return reply.view(view('keys'), {
      ...found,
      keys: keys.map((key) => ({ ...key, typeName: keyTypeName(key.keyType) })),
      revoked: keys.find((key) => key.id === revoked)?.name,
      backLink: found.base,
    });
  });

  app.get('/admin/notify/:org/keys/new', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    return reply.view(view('key-new'), {
      ...found,
      values: {},
      fieldErrors: {},
      backLink: `${found.base}/keys`,
    });
  });

  app.post('/admin/notify/:org/keys', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const values = { name: formText(request.body, 'name'), type: formText(request.body, 'type') };
    const errors: FieldError[] = [];
    if (!values.name) errors.push({ field: 'name', message: 'notify.admin.error.keyName' });
    else if (values.name.length > 255)
      errors.push({ field: 'name', message: 'notify.admin.error.keyNameLong' });
    const keyType = (KEY_TYPE_NAMES as readonly string[]).includes(values.type)
      ? keyTypeFromName(values.type)
      : null;
    if (!keyType) errors.push({ field: 'type', message: 'notify.admin.error.keyType' });
    if (errors.length || !keyType)
      return reply.code(400).view(view('key-new'), {
        ...found,
        values,
        backLink: `${found.base}/keys`,
        ...errorView(errors, request.t),
      });
    const created = await db.transaction().execute((trx) =>
      createApiKey(
        trx,
        sealingKey,
        {
          organisationId: found.organisation.id,
          name: values.name,
          keyType,
          createdBy: found.user.id,
        },
        actor(request, found.user, found.organisation.id),
      ),
    );
    // The key is shown this once, in this response, and is kept nowhere it could be read again.
    reply.header('cache-control', 'no-store');
    return reply.code(201).view(view('key-created'), {
      ...found,
      name: values.name,
      typeName: values.type,
      key: created.key,
      serviceId: created.serviceId,
    });
  });

  app.get('/admin/notify/:org/keys/:id/revoke', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    const service = await findService(db, found.organisation.id);
    const key = service && isUuid(id) ? await findApiKey(db, service.id, id) : undefined;
    if (!key || key.revokedAt) throw notFound({ keyId: id });
    return reply.view(view('key-revoke'), { ...found, key, backLink: `${found.base}/keys` });
  });

  app.post('/admin/notify/:org/keys/:id/revoke', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw notFound({ keyId: id });
    const revoked = await db
      .transaction()
      .execute((trx) =>
        revokeApiKey(
          trx,
          { organisationId: found.organisation.id, keyId: id },
          actor(request, found.user, found.organisation.id),
        ),
      );
    if (!revoked) throw notFound({ keyId: id });
    return reply.redirect(`${found.base}/keys?revoked=${id}`, 303);
  });

  // Templates --------------------------------------------------------------------------------

  app.get('/admin/notify/:org/templates', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const service = await findService(db, found.organisation.id);
    return reply.view(view('templates'), {
      ...found,
      templates: service ? await listTemplates(db, service.id) : [],
      backLink: found.base,
    });
  });

  app.get('/admin/notify/:org/templates/new', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const query = request.query as { type?: string };
    const type = formText(query, 'type');
    if ((NOTIFICATION_TYPES as readonly string[]).includes(type))
      return reply.view(view('template-form'), {
        ...found,
        type,
        values: { postage: 'second' },
        postages: POSTAGE,
        action: `${found.base}/templates`,
        fieldErrors: {},
        backLink: `${found.base}/templates/new`,
      });
    // No type yet: ask for one (a GET form, so it works without JavaScript and needs no token).
    const asked = query.type !== undefined;
    return reply.code(asked ? 400 : 200).view(view('template-type'), {
      ...found,
      backLink: `${found.base}/templates`,
      ...(asked
        ? errorView([{ field: 'type', message: 'notify.admin.error.type' }], request.t)
        : { fieldErrors: {} }),
    });
  });

  function templateValues(body: unknown) {
    return {
      name: formText(body, 'name'),
      subject: formText(body, 'subject'),
      // The message keeps its own spacing: Notify's Markdown depends on blank lines.
      body: (typeof (body as Record<string, unknown>)?.body === 'string'
        ? ((body as Record<string, string>).body ?? '')
        : ''
      ).replace(/\r\n/g, '\n'),
      postage: formText(body, 'postage'),
    };
  }

  app.post('/admin/notify/:org/templates', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const type = formText(request.body, 'type');
    if (!(NOTIFICATION_TYPES as readonly string[]).includes(type))
      return reply.redirect(`${found.base}/templates/new`, 303);
    const values = templateValues(request.body);
    const outcome = await db.transaction().execute((trx) =>
      createTemplate(
        trx,
        found.organisation.id,
        {
          type: type as NotificationType,
          name: values.name,
          subject: values.subject || null,
          body: values.body,
          postage: type === 'letter' ? ((values.postage || 'second') as Postage) : null,
        },
        actor(request, found.user, found.organisation.id),
      ),
    );
    if (!outcome.ok)
      return reply.code(400).view(view('template-form'), {
        ...found,
        type,
        values,
        postages: POSTAGE,
        action: `${found.base}/templates`,
        backLink: `${found.base}/templates/new`,
        ...errorView(translated(outcome.errors), request.t),
      });
    return reply.redirect(`${found.base}/templates/${outcome.id}?saved=1`, 303);
  });

  app.get('/admin/notify/:org/templates/:id', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    const template = await templateFor(found.organisation.id, id);
    if (!template) throw notFound({ templateId: id });
    const names = placeholders(template.subject, template.body);
    const values = previewValues(request.query, names);
    const saved = (request.query as { saved?: string }).saved;
    return reply.view(view('template'), {
      ...found,
      template,
      fields: names.map((name, index) => ({
        name,
        field: `value-${index}`,
        value: values[name] ?? '',
      })),
      preview: preview(template, values),
      sms: template.type === 'sms' ? smsFragments(template.body) : undefined,
      smsLimit: SMS_CHAR_LIMIT,
      saved: saved !== undefined && /^\d+$/.test(saved),
      backLink: `${found.base}/templates`,
    });
  });

  app.get('/admin/notify/:org/templates/:id/edit', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    const template = await templateFor(found.organisation.id, id);
    if (!template) throw notFound({ templateId: id });
    return reply.view(view('template-form'), {
      ...found,
      type: template.type,
      template,
      values: {
        name: template.name,
        subject: template.subject ?? '',
        body: template.body,
        postage: template.postage ?? 'second',
      },
      postages: POSTAGE,
      action: `${found.base}/templates/${id}/edit`,
      fieldErrors: {},
      backLink: `${found.base}/templates/${id}`,
    });
  });

  app.post('/admin/notify/:org/templates/:id/edit', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    const template = await templateFor(found.organisation.id, id);
    if (!template) throw notFound({ templateId: id });
    const values = templateValues(request.body);
    const outcome = await db.transaction().execute((trx) =>
      updateTemplate(
        trx,
        found.organisation.id,
        id,
        {
          name: values.name,
          subject: values.subject || null,
          body: values.body,
          postage: template.type === 'letter' ? ((values.postage || 'second') as Postage) : null,
        },
        actor(request, found.user, found.organisation.id),
      ),
    );
    if (!outcome.ok)
      return reply.code(400).view(view('template-form'), {
        ...found,
        type: template.type,
        template,
        values,
        postages: POSTAGE,
        action: `${found.base}/templates/${id}/edit`,
        backLink: `${found.base}/templates/${id}`,
        ...errorView(translated(outcome.errors), request.t),
      });
    return reply.redirect(`${found.base}/templates/${id}?saved=${outcome.version}`, 303);
  });

  app.get('/admin/notify/:org/templates/:id/versions', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    const template = await templateFor(found.organisation.id, id);
    if (!template) throw notFound({ templateId: id });
    const service = (await findService(db, found.organisation.id))!;
    return reply.view(view('versions'), {
      ...found,
      template,
      versions: await listTemplateVersions(db, service.id, id),
      backLink: `${found.base}/templates/${id}`,
    });
  });

  app.get('/admin/notify/:org/templates/:id/versions/:version', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const { id, version } = request.params as { id: string; version: string };
    if (!/^\d{1,6}$/.test(version)) throw notFound({ templateId: id, version });
    const template = await templateFor(found.organisation.id, id, Number(version));
    if (!template) throw notFound({ templateId: id, version });
    return reply.view(view('version'), {
      ...found,
      template,
      preview: preview(template, {}),
      backLink: `${found.base}/templates/${id}/versions`,
    });
  });

  // Delivery-status callback -----------------------------------------------------------------

  app.get('/admin/notify/:org/callback', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const service = await findService(db, found.organisation.id);
    const saved = (request.query as { saved?: string }).saved;
    return reply.view(view('callback'), {
      ...found,
      service,
      values: { url: service?.callback_url ?? '' },
      fieldErrors: {},
      saved: saved === 'set' || saved === 'removed' ? saved : undefined,
      backLink: found.base,
    });
  });

  app.post('/admin/notify/:org/callback', async (request, reply) => {
    const found = await organisationFor(request, reply);
    if (!found) return reply;
    const remove = formText(request.body, 'action') === 'remove';
    const values = { url: formText(request.body, 'url') };
    const token = formText(request.body, 'token');
    const errors: FieldError[] = [];
    if (!remove && !values.url)
      errors.push({ field: 'url', message: 'notify.admin.error.callbackUrl' });
    const outcome = errors.length
      ? undefined
      : await db.transaction().execute((trx) =>
          setDeliveryCallback(
            trx,
            sealingKey,
            {
              organisationId: found.organisation.id,
              url: remove ? null : values.url,
              bearerToken: token,
            },
            actor(request, found.user, found.organisation.id),
          ),
        );
    if (outcome && !outcome.ok) {
      const field = outcome.reason.includes('token') ? 'token' : 'url';
      errors.push(...translated([{ field, message: outcome.reason }]));
    }
    if (errors.length)
      return reply.code(400).view(view('callback'), {
        ...found,
        service: await findService(db, found.organisation.id),
        values,
        backLink: found.base,
        ...errorView(errors, request.t),
      });
    return reply.redirect(`${found.base}/callback?saved=${remove ? 'removed' : 'set'}`, 303);
  });
}
