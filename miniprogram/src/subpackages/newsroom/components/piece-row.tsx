import { SUBMISSION_STATE_LABELS, type SubmissionView } from '@shared/schemas/newsroom';
import { ListItem } from '../../../components/ui';
import { formatShanghai } from '../../../utils/format';
import { go } from '../../../utils/navigate';

/** One piece in a list: title, opening words, author/campaign/time and its state (flagged ones marked). */
export function PieceRow({ s, staff = false, circleName }: { s: SubmissionView; staff?: boolean; circleName?: string }) {
  const when = s.submittedAt ?? s.updatedAt;
  const meta = [staff ? s.authorName : null, circleName, s.campaign ? `#${s.campaign}` : null, formatShanghai(when)]
    .filter(Boolean)
    .join(' · ');
  const label = SUBMISSION_STATE_LABELS[s.state];
  return (
    <ListItem
      testId="nr-piece"
      title={s.title}
      description={s.body ? (s.body.length > 50 ? `${s.body.slice(0, 50)}…` : s.body) : '（正文未填写）'}
      meta={meta}
      thumb={s.images[0]?.url ?? null}
      extra={staff && s.flagged ? `${label}·需复核` : label}
      onClick={() => go(`/subpackages/newsroom/pages/piece/index?id=${s.id}`)}
    />
  );
}
