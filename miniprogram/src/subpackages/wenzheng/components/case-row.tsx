import { CASE_TYPE_LABELS, type CaseView } from '@shared/schemas/wenzheng';
import { ListItem } from '../../../components/ui';
import { formatShanghai } from '../../../utils/format';
import { go } from '../../../utils/navigate';

/** One case in a list: title, state, category, department and the running deadline for staff lists. */
export function CaseRow({ c, staff = false }: { c: CaseView; staff?: boolean }) {
  const due = c.state === 'assigned' ? c.acceptDueAt : c.state === 'accepted' ? c.answerDueAt : null;
  const meta = [
    c.category,
    c.department?.name,
    staff && c.type ? CASE_TYPE_LABELS[c.type] : null,
    staff && due ? `${c.state === 'assigned' ? '受理' : '答复'}期限 ${formatShanghai(due)}` : formatShanghai(c.createdAt),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <ListItem
      testId="wz-case"
      title={c.title}
      description={c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text}
      meta={meta}
      thumb={c.images[0]?.url ?? null}
      extra={c.overdue ? `${c.stateLabel}·超期` : c.stateLabel}
      onClick={() => go(`/subpackages/wenzheng/pages/case/index?id=${c.id}`)}
    />
  );
}
