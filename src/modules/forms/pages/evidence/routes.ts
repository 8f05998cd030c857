import type { FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import type { SecretSource } from '../../../../platform/keyring/keyring.js';
import {
  askForEvidence,
  evidenceStep,
  verifyEvidenceSnapshot,
  withdrawEvidenceConsent,
  type EvidenceStep,
  type SubjectInput,
} from '../../../evidence/index.js';
import type {
  AddressAnswer,
  Answers,
  EvidenceAnswer,
  EvidenceQuestion,
  FileAnswer,
  FormDefinition,
  FormPage,
} from '../../schema.js';
import { actorOf, errorsView, pageError, type Journey, type JourneySupport } from '../support.js';

export const EVIDENCE = 'modules/forms/pages/evidence/evidence.njk';

/** The answer of an evidence question when it is the check's signed answer. */
export function isEvidenceAnswer(value: unknown): value is EvidenceAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { kind?: unknown }).kind === 'evidence'
  );
}

/** Whom the check is about, from the earlier answers the question names. */
export function subjectInputOf(answers: Answers, question: EvidenceQuestion): SubjectInput {
  const text = (name: string | undefined) => {
    const value = name ? answers[name] : undefined;
    return typeof value === 'string' && value ? value : undefined;
  };
  const address = question.subject.address ? answers[question.subject.address] : undefined;
  const input: SubjectInput = {};
  const fullName = text(question.subject.fullName);
  const dateOfBirth = text(question.subject.dateOfBirth);
  const nino = text(question.subject.nino);
  const companyNumber = text(question.subject.companyNumber);
  if (fullName) input.fullName = fullName;
  if (dateOfBirth) input.dateOfBirth = dateOfBirth;
  if (nino) input.nino = nino;
  if (companyNumber) input.companyNumber = companyNumber;
  if (address && typeof address === 'object' && !Array.isArray(address) && 'line1' in address)
    input.address = address as AddressAnswer;
  return input;
}

/**
 * True when every evidence check in the answers is exactly what Joinedup signed, asked by this
 * body: checked when the application is sent, so an answer cannot be made up or changed.
 */
export function evidenceAnswersVerify(
  secrets: SecretSource,
  form: FormDefinition,
  answers: Answers,
  organisationId: string,
): boolean {
  return form.pages
    .flatMap((page) => page.questions)
    .filter((question) => question.type === 'evidence')
    .every((question) => {
      const value = answers[question.name];
      if (!isEvidenceAnswer(value)) return true;
      return (
        value.requestingOrganisationId === organisationId &&
        value.evidenceType === question.evidenceType &&
        verifyEvidenceSnapshot(secrets, value)
      );
    });
}

/** Shows the upload asked for instead of the check, with why (the question page's file view). */
export type ShowFallback = (notice: string | null) => Promise<unknown>;

/**
 * The page of an evidence question. Instead of an upload it asks the person's consent where the
 * type needs it ("We will ask DWP whether you receive Pension Credit"), sends the request
 * through the evidence exchange, waits (the page looks again every few seconds, or on "Check
 * again"), and shows the signed answer before it is kept with the application. With no
 * account, no answer in time, a refusal or a body that is down, it asks for files instead,
 * keeping everything else the person entered.
 */
export function evidencePage({ db, wakeOutbox }: AppContext, support: JourneySupport) {
  const journeyKey = (journey: Journey, question: EvidenceQuestion) =>
    `${journey.service.slug}:${question.name}`;

  async function stepOf(
    journey: Journey,
    question: EvidenceQuestion,
  ): Promise<EvidenceStep | null> {
    if (!journey.applicantId) return null;
    return evidenceStep(db, {
      userId: journey.applicantId,
      journeyKey: journeyKey(journey, question),
      evidenceType: question.evidenceType,
      subject: subjectInputOf(journey.answers, question),
    });
  }

  function view(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    state: Record<string, unknown>,
  ) {
    return reply.view(EVIDENCE, {
      service: journey.service,
      page: { id: page.id, title: page.title[request.locale] },
      action: `${journey.base}/${page.id}`,
      actingFor: journey.user?.actingFor?.userId ?? '',
      backLink: state.backLink,
      ...state,
    });
  }

  async function get(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    question: EvidenceQuestion,
    fallback: ShowFallback,
    backLink: string,
  ) {
    const { t, locale } = request;
    const saved = journey.answers[question.name];
    if (isEvidenceAnswer(saved))
      return view(request, reply, journey, page, {
        state: 'answered',
        backLink,
        saved: true,
        body: saved.answeringBody[locale],
        statement: saved.statement[locale],
        answeredAt: new Date(saved.answeredAt),
      });
    const files = Array.isArray(saved) && saved.length > 0;
    const step = await stepOf(journey, question);
    if (files || formText(request.query, 'upload') === 'yes' || !step) return fallback(null);
    switch (step.state) {
      case 'unavailable':
        return fallback(null);
      case 'fallback':
        return fallback(
          t(`forms.evidence.fallback.${step.reason}`) === `forms.evidence.fallback.${step.reason}`
            ? t('forms.evidence.fallback.other', { body: step.type.body[locale] })
            : t(`forms.evidence.fallback.${step.reason}`, { body: step.type.body[locale] }),
        );
      case 'ask':
        return view(request, reply, journey, page, {
          state: 'ask',
          backLink,
          label: question.label[locale],
          body: step.type.body[locale],
          ask: step.type.ask[locale],
          consentNeeded: step.type.consentNeeded,
          legalBasis: step.type.legalBasis,
          legalBasisReference: step.type.legalBasisReference,
        });
      case 'waiting':
        return view(request, reply, journey, page, {
          state: 'waiting',
          backLink,
          body: step.type.body[locale],
          ask: step.type.ask[locale],
          requestId: step.requestId,
          withdrawable: step.withdrawable,
        });
      case 'answered':
        return view(request, reply, journey, page, {
          state: 'answered',
          backLink,
          saved: false,
          body: step.snapshot.answeringBody[locale],
          statement: step.snapshot.statement[locale],
          answeredAt: new Date(step.snapshot.answeredAt),
        });
    }
  }

  async function post(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    page: FormPage,
    question: EvidenceQuestion,
    next: () => string,
    backLink: string,
  ) {
    const here = `${journey.base}/${page.id}`;
    const action = formText(request.body, 'action');
    if (action === 'upload') return reply.redirect(`${here}?upload=yes`, 303);
    const saved = journey.answers[question.name];
    if (action === 'continue' && isEvidenceAnswer(saved)) return reply.redirect(next(), 303);
    const step = await stepOf(journey, question);
    if (!step || !journey.applicantId) return reply.redirect(`${here}?upload=yes`, 303);
    const actor = actorOf(request, journey.user);
    if (action === 'ask' && step.state === 'ask') {
      const consent = formText(request.body, 'consent');
      if (step.type.consentNeeded && consent !== 'yes' && consent !== 'no') {
        const { locale } = request;
        const error = pageError('consent', {
          en: `Select yes if we can ask ${step.type.body.en}`,
          cy: `Dewiswch ie os cawn ofyn i ${step.type.body.cy}`,
        });
        return view(request, reply.code(400), journey, page, {
          state: 'ask',
          backLink,
          label: question.label[locale],
          body: step.type.body[locale],
          ask: step.type.ask[locale],
          consentNeeded: true,
          legalBasis: step.type.legalBasis,
          legalBasisReference: step.type.legalBasisReference,
          ...errorsView([error], locale),
        });
      }
      const applicantId = journey.applicantId;
      const outcome = await db.transaction().execute((trx) =>
        askForEvidence(
          trx,
          {
            evidenceType: question.evidenceType,
            requestingOrganisationId: journey.service.organisation.id,
            userId: applicantId,
            journeyKey: journeyKey(journey, question),
            subject: subjectInputOf(journey.answers, question),
            consent: consent === 'yes',
          },
          actor,
        ),
      );
      if (outcome.ok) wakeOutbox();
      return reply.redirect(here, 303);
    }
    if (action === 'withdraw' && step.state === 'waiting') {
      const applicantId = journey.applicantId;
      await db
        .transaction()
        .execute((trx) =>
          withdrawEvidenceConsent(trx, { userId: applicantId, requestId: step.requestId }, actor),
        );
      return reply.redirect(here, 303);
    }
    if (action === 'use' && step.state === 'answered') {
      await support.save(journey, reply, { [question.name]: step.snapshot });
      return reply.redirect(next(), 303);
    }
    return reply.redirect(here, 303);
  }

  return { get, post };
}

/** The files of an evidence question answered by upload instead (none for a check's answer). */
export function fallbackFiles(answers: Answers, name: string): FileAnswer[] {
  const value = answers[name];
  return Array.isArray(value) ? (value as FileAnswer[]) : [];
}
