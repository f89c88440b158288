import {
  CASE_STATE_LABELS,
  CASE_TYPES,
  CASE_TYPE_LABELS,
  ROUTING_TIERS,
  type CaseType,
  type CaseView,
  type CoPartView,
  type RoutingTier,
} from '@shared/schemas/wenzheng';
import { Image, Input, Picker, Switch, Textarea, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { Button, ErrorState, LoadingState, IconLine } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { wenzhengApi } from '../../../../services/wenzheng.api';
import { formatShanghai } from '../../../../utils/format';
import { hasRole } from '../../../../utils/roles';
import '../../wenzheng.scss';
import { Location } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

const TIER_LABELS: Record<RoutingTier, string> = { direct: '直接交办部门', grid: '经网格“三长”办理', propaganda: '内参上报宣传部' };

/** A case: details, the timeline of every step, and what the viewer may do next (rate, reopen, triage, answer). */
function CasePage() {
  const [id, setId] = useState('');
  const [c, setCase] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { user } = useSession();
  useLoad((params: Record<string, string | undefined>) => setId(params.id ?? ''));

  const load = () => {
    if (!id) return;
    wenzhengApi
      .get(id)
      .then((r) => {
        setCase(r.case);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : '加载失败'));
  };
  useEffect(load, [id]);
  useShareAppMessage(() => ({ title: c?.title ?? '融媒问政', path: `/subpackages/wenzheng/pages/case/index?id=${id}` }));

  /** Runs an action; the API client toasts the server's message on failure. */
  async function run(action: () => Promise<{ case: CaseView }>, done: string) {
    try {
      setCase((await action()).case);
      void Taro.showToast({ title: done, icon: 'success' });
    } catch {
      load();
    }
  }

  if (error) return <ErrorState description={error} onRetry={load} />;
  if (!c) return <LoadingState />;
  const editor = hasRole(user, 'editor', 'admin');
  const myDepts = (user?.roles ?? []).flatMap((g) => (g.role === 'department_staff' && g.scope ? [g.scope.id] : []));
  // The lead department's staff (or the grid's 三长) act on the case; a co-department's staff on its part.
  const handler = (!!c.department && myDepts.includes(c.department.code)) || (c.tier === 'grid' && hasRole(user, 'grid_leader'));
  const myPart = c.coParts.find((p) => myDepts.includes(p.department.code));
  const propaganda = c.state === 'reported' && (hasRole(user, 'admin') || myDepts.length > 0);
  return (
    <View data-testid="wz-case-page">
      <View className="wz-section">
        <View className="wz-text" data-testid="wz-case-title" style={{ fontWeight: 600 }}>
          {c.title}
        </View>
        <View className="wz-label" data-testid="wz-case-state">
          {c.stateLabel}
          {c.overdue ? <View className="wz-overdue">已超期</View> : null} · {c.category} · {c.poster.name} · {formatShanghai(c.createdAt)}
        </View>
        <View className="wz-text">{c.text}</View>
        {c.images.length ? (
          <View className="wz-photos">
            {c.images.map((img) => (
              <Image
                key={img.id}
                className="wz-photo"
                src={img.url}
                mode="aspectFill"
                onClick={() => void Taro.previewImage({ urls: c.images.map((i) => i.url), current: img.url })}
              />
            ))}
          </View>
        ) : null}
        {c.place ? (
          <IconLine className="wz-label" icon={<Location />}>
            {c.place.address}
          </IconLine>
        ) : null}
        {c.department ? (
          <View className="wz-label" data-testid="wz-departments">
            主办：{c.department.name}
            {c.coParts.length ? `（协办：${c.coParts.map((p) => `${p.department.name}·${partLabel(p)}`).join('、')}）` : ''}
          </View>
        ) : null}
        {c.state === 'assigned' && c.acceptDueAt ? <View className="wz-label">受理期限：{formatShanghai(c.acceptDueAt)}</View> : null}
        {c.state === 'accepted' && c.answerDueAt ? <View className="wz-label">答复期限：{formatShanghai(c.answerDueAt)}</View> : null}
        {c.rejectReason ? <View className="wz-label">未受理原因：{c.rejectReason}</View> : null}
      </View>

      {c.answer ? (
        <View className="wz-section" data-testid="wz-answer">
          <View className="wz-label">
            {c.answer.department.name} 答复 · {formatShanghai(c.answer.at)}
          </View>
          <View className="wz-text">{c.answer.text}</View>
        </View>
      ) : null}
      {c.coParts
        .filter((p) => p.answer)
        .map((p) => (
          <View key={p.department.code} className="wz-section" data-testid="wz-co-answer">
            <View className="wz-label">
              {p.department.name}（协办）答复 · {formatShanghai(p.answer!.at)}
            </View>
            <View className="wz-text">{p.answer!.text}</View>
          </View>
        ))}
      {c.rating ? (
        <View className="wz-section" data-testid="wz-rating">
          <View className="wz-text">
            评价：{c.rating.satisfied ? '满意' : '不满意'}
            {c.rating.comment ? `，${c.rating.comment}` : ''}
          </View>
        </View>
      ) : null}

      {c.mine && c.state === 'answered' ? (
        <RateForm onRate={(s, comment) => run(() => wenzhengApi.rate(c.id, s, comment), '已评价')} />
      ) : null}
      {c.canReopen ? (
        <ReasonForm
          label="仍未解决？申请重办（仅一次）"
          action="申请重办"
          onSubmit={(r) => run(() => wenzhengApi.reopen(c.id, r), '已申请重办')}
        />
      ) : null}
      {editor && c.state === 'pending' ? <TriageForm c={c} run={run} /> : null}
      {editor && c.state === 'handover' ? (
        <View className="wz-section">
          <View className="wz-label">
            {c.department?.name} 申请转办给 {c.handover?.suggestedDepartment.name}：{c.handover?.reason}
          </View>
          <View className="wz-actions">
            <Button size="mini" type="primary" onClick={() => void run(() => wenzhengApi.handover(c.id, true), '已转办')}>
              确认转办
            </Button>
            <Button size="mini" onClick={() => void run(() => wenzhengApi.handover(c.id, false), '已退回')}>
              不同意
            </Button>
          </View>
        </View>
      ) : null}
      {editor
        ? c.coParts
            .filter((p) => p.state === 'handover' && p.handover)
            .map((p) => (
              <View key={p.department.code} className="wz-section">
                <View className="wz-label">
                  协办部门 {p.department.name} 申请转给 {p.handover!.suggestedDepartment.name}：{p.handover!.reason}
                </View>
                <View className="wz-actions">
                  <Button
                    size="mini"
                    type="primary"
                    onClick={() => void run(() => wenzhengApi.part.handover(c.id, p.department.code, true), '已转办')}
                  >
                    确认转办
                  </Button>
                  <Button size="mini" onClick={() => void run(() => wenzhengApi.part.handover(c.id, p.department.code, false), '已退回')}>
                    不同意
                  </Button>
                </View>
              </View>
            ))
        : null}
      {propaganda ? <AssignForm c={c} run={run} /> : null}
      {handler && (c.state === 'assigned' || c.state === 'accepted') ? <DepartmentForm c={c} run={run} /> : null}
      {myPart && ['assigned', 'handover', 'accepted', 'answered'].includes(c.state) ? <PartForm c={c} part={myPart} run={run} /> : null}

      <View className="wz-section" data-testid="wz-timeline">
        <View className="wz-label">办理进度</View>
        {[...c.timeline].reverse().map((e, i) => (
          <View key={`${e.at}-${i}`} className="wz-timeline-item" data-testid="wz-timeline-item">
            <View className="wz-text">
              {e.label} · {e.by}
            </View>
            {e.note ? <View className="wz-text">{e.note}</View> : null}
            <View className="wz-label">{formatShanghai(e.at)}</View>
          </View>
        ))}
      </View>
    </View>
  );
}

type Run = (action: () => Promise<{ case: CaseView }>, done: string) => Promise<void>;

const partLabel = (p: CoPartView) => (p.overdue ? `${CASE_STATE_LABELS[p.state]}·超期` : CASE_STATE_LABELS[p.state]);

/** Departments as tappable chips: one (lead) or several (co-departments). */
function DeptChips({
  depts,
  selected,
  onToggle,
  testId,
}: {
  depts: { code: string; name: string }[];
  selected: readonly string[];
  onToggle: (code: string) => void;
  testId: string;
}) {
  return (
    <View className="wz-chips">
      {depts.map((d) => (
        <View
          key={d.code}
          data-testid={`${testId}-${d.code}`}
          className={`wz-chip ${selected.includes(d.code) ? 'wz-chip--on' : ''}`}
          onClick={() => onToggle(d.code)}
        >
          {d.name}
        </View>
      ))}
    </View>
  );
}

function RateForm({ onRate }: { onRate: (satisfied: boolean, comment?: string) => Promise<void> }) {
  const [comment, setComment] = useState('');
  return (
    <View className="wz-section" data-testid="wz-rate">
      <View className="wz-label">对答复满意吗？</View>
      <Input className="wz-input" placeholder="说说你的看法（可选）" value={comment} onInput={(e) => setComment(e.detail.value)} />
      <View className="wz-actions">
        <Button size="mini" type="primary" data-testid="wz-satisfied" onClick={() => void onRate(true, comment.trim() || undefined)}>
          满意
        </Button>
        <Button size="mini" data-testid="wz-unsatisfied" onClick={() => void onRate(false, comment.trim() || undefined)}>
          不满意
        </Button>
      </View>
    </View>
  );
}

function ReasonForm({ label, action, onSubmit }: { label: string; action: string; onSubmit: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  return (
    <View className="wz-section">
      <View className="wz-label">{label}</View>
      <Input className="wz-input" placeholder="理由" value={reason} onInput={(e) => setReason(e.detail.value)} />
      <View className="wz-actions">
        <Button size="mini" disabled={!reason.trim()} onClick={() => void onSubmit(reason.trim())}>
          {action}
        </Button>
      </View>
    </View>
  );
}

function useDepartments() {
  const [depts, setDepts] = useState<{ code: string; name: string }[]>([]);
  useEffect(() => {
    wenzhengApi
      .departments()
      .then((r) => setDepts(r.departments.filter((d) => !d.propaganda)))
      .catch(() => undefined);
  }, []);
  return depts;
}

/** Editors: route (tier, type, department, public or not) or reject with a reason. */
function TriageForm({ c, run }: { c: CaseView; run: Run }) {
  const depts = useDepartments();
  const [tier, setTier] = useState<RoutingTier>('direct');
  const [type, setType] = useState<CaseType>('consultation');
  const [dept, setDept] = useState<string | undefined>();
  const [co, setCo] = useState<string[]>([]);
  const [gridId, setGridId] = useState('');
  const [publish, setPublish] = useState(c.visibility === 'public');
  return (
    <View className="wz-section" data-testid="wz-triage">
      <View className="wz-label">审核与转办</View>
      <Picker
        mode="selector"
        range={ROUTING_TIERS.map((t) => TIER_LABELS[t])}
        onChange={(e) => setTier(ROUTING_TIERS[Number(e.detail.value)] ?? 'direct')}
      >
        <View className="wz-input">{TIER_LABELS[tier]}</View>
      </Picker>
      <Picker
        mode="selector"
        range={CASE_TYPES.map((t) => CASE_TYPE_LABELS[t])}
        onChange={(e) => setType(CASE_TYPES[Number(e.detail.value)] ?? 'consultation')}
      >
        <View className="wz-input">事项类型：{CASE_TYPE_LABELS[type]}</View>
      </Picker>
      {tier !== 'propaganda' ? (
        <View>
          <View className="wz-label" data-testid="wz-dept">
            主办部门：{depts.find((d) => d.code === dept)?.name ?? '按类别默认'}
          </View>
          <DeptChips
            depts={depts}
            selected={dept ? [dept] : []}
            testId="wz-dept"
            onToggle={(code) => setDept(dept === code ? undefined : code)}
          />
          <View className="wz-label">协办部门（可多选）</View>
          <DeptChips
            depts={depts.filter((d) => d.code !== dept)}
            selected={co}
            testId="wz-co"
            onToggle={(code) => setCo((all) => (all.includes(code) ? all.filter((x) => x !== code) : [...all, code]))}
          />
        </View>
      ) : null}
      {tier === 'grid' ? (
        <Input className="wz-input" placeholder="网格编号" value={gridId} onInput={(e) => setGridId(e.detail.value)} />
      ) : null}
      <View className="wz-row">
        <View className="wz-text">{c.visibility === 'private' ? '网友选择不公开' : '在问政板公开'}</View>
        <Switch checked={publish} disabled={c.visibility === 'private'} onChange={(e) => setPublish(e.detail.value)} />
      </View>
      <View className="wz-actions">
        <Button
          size="mini"
          type="primary"
          data-testid="wz-forward"
          onClick={() =>
            void run(
              () =>
                wenzhengApi.forward(c.id, {
                  tier,
                  type,
                  publish,
                  ...(dept ? { department: dept } : {}),
                  ...(tier !== 'propaganda' ? { coDepartments: co.filter((x) => x !== dept) } : {}),
                  ...(tier === 'grid' ? { gridId } : {}),
                }),
              '已转办',
            )
          }
        >
          转办
        </Button>
      </View>
      <ReasonForm label="不予受理" action="不予受理" onSubmit={(r) => run(() => wenzhengApi.reject(c.id, r), '已处理')} />
    </View>
  );
}

/** Department staff and grid leaders: accept, answer, ask for more time, or say "not ours" and name who. */
function DepartmentForm({ c, run }: { c: CaseView; run: Run }) {
  const depts = useDepartments();
  const [answer, setAnswer] = useState('');
  const [days, setDays] = useState('3');
  const [target, setTarget] = useState<string | undefined>();
  return (
    <View className="wz-section" data-testid="wz-dept-actions">
      {c.state === 'assigned' ? (
        <Button size="mini" type="primary" data-testid="wz-accept" onClick={() => void run(() => wenzhengApi.accept(c.id), '已受理')}>
          受理
        </Button>
      ) : (
        <View>
          <View className="wz-label">答复</View>
          <Textarea className="wz-textarea" data-testid="wz-answer-text" value={answer} onInput={(e) => setAnswer(e.detail.value)} />
          <Button
            size="mini"
            type="primary"
            data-testid="wz-answer-submit"
            disabled={!answer.trim()}
            onClick={() => void run(() => wenzhengApi.answer(c.id, answer.trim()), '已答复')}
          >
            提交答复
          </Button>
          <View className="wz-row">
            <Input className="wz-input" type="number" value={days} onInput={(e) => setDays(e.detail.value)} />
            <View className="wz-label">个工作日</View>
          </View>
          <ReasonForm
            label="申请延期"
            action="申请延期"
            onSubmit={(r) => run(() => wenzhengApi.extension(c.id, Number(days) || 1, r), '已申请')}
          />
        </View>
      )}
      <Picker mode="selector" range={depts.map((d) => d.name)} onChange={(e) => setTarget(depts[Number(e.detail.value)]?.code)}>
        <View className="wz-input">非本部门职责，应由：{depts.find((d) => d.code === target)?.name ?? '选择部门'}</View>
      </Picker>
      {target ? (
        <ReasonForm label="说明理由" action="申请转办" onSubmit={(r) => run(() => wenzhengApi.decline(c.id, target, r), '已申请转办')} />
      ) : null}
    </View>
  );
}

/** A co-department's staff: accept its part, answer it, or say "not ours" naming who should take it. */
function PartForm({ c, part, run }: { c: CaseView; part: CoPartView; run: Run }) {
  const depts = useDepartments();
  const [answer, setAnswer] = useState('');
  const [target, setTarget] = useState<string | undefined>();
  const code = part.department.code;
  return (
    <View className="wz-section" data-testid="wz-part-actions">
      <View className="wz-label">
        本部门（{part.department.name}）协办：{partLabel(part)}
        {part.state === 'assigned' && part.acceptDueAt ? ` · 受理期限 ${formatShanghai(part.acceptDueAt)}` : ''}
        {part.state === 'accepted' && part.answerDueAt ? ` · 答复期限 ${formatShanghai(part.answerDueAt)}` : ''}
      </View>
      {part.state === 'assigned' ? (
        <Button
          size="mini"
          type="primary"
          data-testid="wz-part-accept"
          onClick={() => void run(() => wenzhengApi.part.accept(c.id, code), '已受理')}
        >
          受理协办
        </Button>
      ) : null}
      {part.state === 'accepted' ? (
        <View>
          <Textarea className="wz-textarea" data-testid="wz-part-answer-text" value={answer} onInput={(e) => setAnswer(e.detail.value)} />
          <Button
            size="mini"
            type="primary"
            data-testid="wz-part-answer-submit"
            disabled={!answer.trim()}
            onClick={() => void run(() => wenzhengApi.part.answer(c.id, code, answer.trim()), '已答复')}
          >
            提交协办答复
          </Button>
        </View>
      ) : null}
      {part.state === 'assigned' || part.state === 'accepted' ? (
        <View>
          <View className="wz-label">非本部门职责，应由：{depts.find((d) => d.code === target)?.name ?? '选择部门'}</View>
          <DeptChips
            depts={depts.filter((d) => d.code !== code)}
            selected={target ? [target] : []}
            testId="wz-part-target"
            onToggle={setTarget}
          />
          {target ? (
            <ReasonForm
              label="说明理由"
              action="申请转办"
              onSubmit={(r) => run(() => wenzhengApi.part.decline(c.id, code, target, r), '已申请转办')}
            />
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

/** The propaganda department: assign an internal report to a lead and co-departments, copying county leaders. */
function AssignForm({ c, run }: { c: CaseView; run: Run }) {
  const depts = useDepartments();
  const [leaders, setLeaders] = useState<{ id: string; name: string }[]>([]);
  const [dept, setDept] = useState<string | undefined>();
  // Starts from the editor's suggestion; unticking all sends `[]` (none).
  const [co, setCo] = useState<string[]>(() => c.suggestedCoDepartments.map((d) => d.code));
  const [copy, setCopy] = useState<string[]>([]);
  // Only the propaganda department (and editors/admins) may list leaders: the answer says who may assign.
  const [allowed, setAllowed] = useState(false);
  useEffect(() => {
    wenzhengApi
      .leaders()
      .then((r) => {
        setLeaders(r.leaders);
        setAllowed(true);
      })
      .catch(() => setAllowed(false));
  }, []);
  const toggle = (set: (f: (all: string[]) => string[]) => void) => (id: string) =>
    set((all) => (all.includes(id) ? all.filter((x) => x !== id) : [...all, id]));
  if (!allowed) return null;
  return (
    <View className="wz-section" data-testid="wz-assign">
      <View className="wz-label">交办：主办部门</View>
      <DeptChips depts={depts} selected={dept ? [dept] : []} testId="wz-assign-dept" onToggle={setDept} />
      <View className="wz-label">协办部门</View>
      <DeptChips depts={depts.filter((d) => d.code !== dept)} selected={co} testId="wz-assign-co" onToggle={toggle(setCo)} />
      {leaders.length ? (
        <View>
          <View className="wz-label">抄送县领导</View>
          <DeptChips
            depts={leaders.map((l) => ({ code: l.id, name: l.name }))}
            selected={copy}
            testId="wz-assign-leader"
            onToggle={toggle(setCopy)}
          />
        </View>
      ) : null}
      <View className="wz-actions">
        <Button
          size="mini"
          type="primary"
          disabled={!dept}
          onClick={() =>
            dept
              ? void run(
                  () => wenzhengApi.assign(c.id, { department: dept, coDepartments: co.filter((x) => x !== dept), copyLeaders: copy }),
                  '已交办',
                )
              : undefined
          }
        >
          交办
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(CasePage);
