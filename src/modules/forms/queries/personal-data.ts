/** What the forms module holds about one person, for their own "My data". */
import type { Db } from '../../../platform/db/database.js';
import type { PersonalDataSection } from '../../../platform/http/types.js';
import { publishedServiceTitles } from '../../catalogue/index.js';

/**
 * Applications the person (or an agent for them) started and has not sent, with the answers so
 * far as JSON, and those they started as an agent for a client.
 */
export async function formsPersonalData(db: Db, userId: string): Promise<PersonalDataSection[]> {
  const drafts = await db
    .selectFrom('form_drafts')
    .select(['user_id', 'service_id', 'answers', 'created_at', 'updated_at'])
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('agent_user_id', '=', userId)]))
    .orderBy('created_at')
    .execute();
  const titles = await publishedServiceTitles(
    db,
    drafts.map((d) => d.service_id),
    'en',
  );
  return [
    {
      key: 'drafts',
      title: 'forms.personalData.drafts',
      rows: drafts.map((d) => ({
        service: titles.get(d.service_id) ?? d.service_id,
        startedFor: d.user_id === userId ? 'you' : 'a client',
        answers: JSON.stringify(d.answers),
        startedAt: d.created_at.toISOString(),
        updatedAt: d.updated_at.toISOString(),
      })),
    },
  ];
}
