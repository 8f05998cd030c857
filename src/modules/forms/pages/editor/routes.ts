/**
 * The service owner's form editor (issue 5): `/forms/staff` lists the forms of the services the
 * signed-in member of staff may edit; `/forms/staff/<key>` shows a form's definition as JSON in a
 * textarea, checks it ("Check and preview": syntax errors by line and column, schema problems by
 * JSON path, or the live preview of every page in English or Welsh), saves it as a draft version
 * and publishes it as the next version. Everything works without JavaScript; a small script
 * re-previews as the owner types when the page's CSP nonce lets it run.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import {
  loadMessages,
  translator,
  type Locale,
  type Translate,
} from '../../../../platform/i18n/i18n.js';
import { isPlatformAdmin, requireSignIn } from '../../../identity/index.js';
import type { ServiceWithForm } from '../../../catalogue/index.js';
import type { FormDefinition } from '../../schema.js';
import { MAX_LISTED, syntaxMessage } from './definition-check.js';
import { definitionText } from './definition-text.js';
import { readJson, type JsonReading } from './json-text.js';
import { previewForm } from './preview.js';
import {
  checkEdit,
  editableForms,
  formForEditing,
  formHistory,
  publishFormEdit,
  saveFormDraft,
  type EditProblem,
  type FormForEditing,
} from './service.js';

const LIST = 'modules/forms/pages/editor/list.njk';
const EDITOR = 'modules/forms/pages/editor/editor.njk';
const FRAGMENT = 'modules/forms/pages/editor/preview-fragment.njk';

type ErrorItem = { text: string; href: string };

/** What the editor page shows after a check: errors, or the preview. */
interface Checked {
  errorList: ErrorItem[];
  fieldErrors: Record<string, { text: string }>;
  definition: FormDefinition | null;
}

function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  const role = isPlatformAdmin(user)
    ? 'platform-admin'
    : user.roles.includes('admin')
      ? 'admin'
      : 'service-owner';
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}

/** A text's check as the GOV.UK error summary (every problem, linking to the textarea) and the preview's definition. */
function check(key: string, reading: JsonReading, t: Translate): Checked {
  if (!reading.ok) {
    const text = t('forms.editor.json.at', {
      line: reading.position.line,
      column: reading.position.column,
      message: syntaxMessage(reading.problem, t),
    });
    return {
      errorList: [{ text, href: '#definition' }],
      fieldErrors: { definition: { text } },
      definition: null,
    };
  }
  const checked = checkEdit(key, reading.value);
  if (checked.ok) return { errorList: [], fieldErrors: {}, definition: checked.definition };
  return problemsView(checked.problems, reading, key, t);
}

function problemsView(
  problems: EditProblem[],
  reading: Extract<JsonReading, { ok: true }>,
  key: string,
  t: Translate,
): Checked {
  const errorList = problems.slice(0, MAX_LISTED).map((problem) => ({
    text: t('forms.editor.problem.at', {
      path: problem.path || t('forms.editor.problem.wholeForm'),
      line: reading.positionOf(problem.at).line,
      message:
        problem.code === 'key-changed'
          ? t('forms.editor.problem.keyChanged', { key })
          : problem.message,
    }),
    href: '#definition',
  }));
  if (problems.length > MAX_LISTED)
    errorList.push({
      text: t('forms.editor.problem.more', { count: problems.length - MAX_LISTED }),
      href: '#definition',
    });
  const summary =
    problems.length === 1
      ? t('forms.editor.problem.one')
      : t('forms.editor.problem.many', { count: problems.length });
  return { errorList, fieldErrors: { definition: { text: summary } }, definition: null };
}

/** The language the preview is in: chosen with `preview=cy`, English otherwise. */
function previewLocale(value: unknown): Locale {
  return value === 'cy' ? 'cy' : 'en';
}

function serviceView(service: ServiceWithForm, locale: Locale) {
  return {
    id: service.id,
    title: (locale === 'cy' && service.titleCy) || service.title,
    organisation: (locale === 'cy' && service.organisation.nameCy) || service.organisation.name,
    status: service.status,
  };
}

export async function editorRoutes(app: FastifyInstance, { db }: AppContext): Promise<void> {
  const messages = await loadMessages();
  const journeyT: Record<Locale, Translate> = {
    en: translator(messages, 'en'),
    cy: translator(messages, 'cy'),
  };

  function previewOf(
    request: FastifyRequest,
    key: string,
    definition: FormDefinition,
    locale: Locale,
  ) {
    return previewForm(definition, {
      locale,
      journeyT: journeyT[locale],
      noteT: request.t,
      anchor: `/forms/staff/${key}#preview`,
    });
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormForEditing,
    page: {
      text: string;
      /** The text is what is stored (a GET), not an edit being checked. */
      stored: boolean;
      previewLang: Locale;
      checked: Checked;
      notice?: { kind: 'saved' | 'published' | 'checked'; version?: number };
    },
  ) {
    const { locale } = request;
    const { checked } = page;
    const history = await formHistory(db, form.key);
    return reply.view(EDITOR, {
      key: form.key,
      title: form.working.definition.title[locale],
      services: form.services.map((s) => serviceView(s, locale)),
      published: form.published,
      draft: form.draft,
      nextVersion: form.nextVersion,
      text: page.text,
      stored: page.stored,
      previewLang: page.previewLang,
      otherPreviewLang: page.previewLang === 'cy' ? 'en' : 'cy',
      preview: checked.definition
        ? previewOf(request, form.key, checked.definition, page.previewLang)
        : null,
      notice: page.notice ?? null,
      history,
      errorList: checked.errorList,
      fieldErrors: checked.fieldErrors,
      backLink: '/forms/staff',
    });
  }

  app.get('/forms/staff', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { locale } = request;
    const forms = await editableForms(db, user);
    return reply.view(LIST, {
      forms: forms.map((form) => ({
        key: form.key,
        title: form.title[locale],
        services: form.services.map((s) => serviceView(s, locale)),
        published: form.published,
        draft: form.draft,
      })),
      showOrganisation: isPlatformAdmin(user),
    });
  });

  app.get('/forms/staff/:key', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { key } = request.params as { key: string };
    const query = request.query as Record<string, unknown>;
    const form = await formForEditing(db, user, key);
    const number = (value: unknown) =>
      typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
    const saved = number(query.saved);
    const published = number(query.published);
    return render(request, reply, form, {
      text: definitionText(form.working.definition),
      stored: true,
      previewLang: previewLocale(query.preview),
      checked: { errorList: [], fieldErrors: {}, definition: form.working.definition },
      notice:
        published !== undefined
          ? { kind: 'published', version: published }
          : saved !== undefined
            ? { kind: 'saved', version: saved }
            : undefined,
    });
  });

  app.post('/forms/staff/:key', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { key } = request.params as { key: string };
    const form = await formForEditing(db, user, key);
    const body = request.body as Record<string, unknown> | undefined;
    const text = typeof body?.definition === 'string' ? body.definition : '';
    const action = formText(body, 'action');
    // "Show the preview in Welsh" sends the text to be checked again in the other language.
    const previewLang = previewLocale(
      formText(body, 'switchPreview') || formText(body, 'previewLang'),
    );
    const reading = readJson(text);
    const checked = check(key, reading, request.t);
    const page = { text, stored: false, previewLang, checked };
    if (!checked.definition) return render(request, reply.code(400), form, page);
    if (action !== 'save' && action !== 'publish')
      return render(request, reply, form, { ...page, notice: { kind: 'checked' } });

    const expected = Number(formText(body, 'version'));
    const command = action === 'publish' ? publishFormEdit : saveFormDraft;
    const outcome = await db
      .transaction()
      .execute((trx) =>
        command(
          trx,
          user,
          key,
          reading.ok ? reading.value : null,
          expected,
          actorOf(request, user),
        ),
      );
    if (outcome.ok)
      return reply.redirect(
        `/forms/staff/${key}?${action === 'publish' ? 'published' : 'saved'}=${outcome.version}`,
        303,
      );
    if ('stale' in outcome) {
      // Someone else saved or published meanwhile: nothing is lost, the owner decides again.
      const message = request.t('forms.editor.stale', { version: outcome.nextVersion });
      return render(request, reply.code(409), await formForEditing(db, user, key), {
        ...page,
        checked: {
          errorList: [{ text: message, href: '#definition' }],
          fieldErrors: { definition: { text: message } },
          definition: checked.definition,
        },
      });
    }
    return render(request, reply.code(400), form, {
      ...page,
      checked: problemsView(
        outcome.problems,
        reading as Extract<JsonReading, { ok: true }>,
        key,
        request.t,
      ),
    });
  });

  /** The preview (or what stops it) alone, for the script that re-previews as the owner types. */
  app.post('/forms/staff/:key/preview', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const { key } = request.params as { key: string };
    await formForEditing(db, user, key);
    const body = request.body as Record<string, unknown> | undefined;
    const text = typeof body?.definition === 'string' ? body.definition : '';
    const previewLang = previewLocale(formText(body, 'previewLang'));
    const checked = check(key, readJson(text), request.t);
    return reply.code(checked.definition ? 200 : 400).view(FRAGMENT, {
      preview: checked.definition ? previewOf(request, key, checked.definition, previewLang) : null,
      errorList: checked.errorList,
    });
  });
}
