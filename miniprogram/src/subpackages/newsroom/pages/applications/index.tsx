import { decideApplicationBodySchema, type ApplicationView, type CircleView } from '@shared/schemas/newsroom';
import { Input, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { formatShanghai } from '../../../../utils/format';
import { hasRole } from '../../../../utils/roles';
import { check } from '../../forms';
import { deskApi } from '../../newsroom-api';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';

const STATES: Array<[ApplicationView['state'], string]> = [
  ['pending', '待审核'],
  ['approved', '已通过'],
  ['declined', '未通过'],
];

/** Correspondent applications for circle leaders (their circles) and editors (all): approve, or decline with a reason. */
function ApplicationsPage() {
  const { user } = useSession();
  const allowed = hasRole(user, 'circle_leader', 'editor', 'admin');
  const [state, setState] = useState<ApplicationView['state']>('pending');
  const [items, setItems] = useState<ApplicationView[] | null>(null);
  const [circles, setCircles] = useState<CircleView[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    if (!allowed) return;
    deskApi
      .applications(state)
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : '加载失败'))
      .finally(() => Taro.stopPullDownRefresh());
  };
  useEffect(load, [state, allowed]);
  usePullDownRefresh(load);
  useEffect(() => {
    deskApi
      .circles()
      .then(setCircles)
      .catch(() => undefined);
  }, []);

  if (!allowed) return <EmptyState title="仅圈长和编辑可以审核通讯员申请" />;
  return (
    <View data-testid="nr-applications">
      <View className="nr-chips">
        {STATES.map(([key, label]) => (
          <View key={key} className={`nr-chip ${state === key ? 'nr-chip--on' : ''}`} onClick={() => setState(key)}>
            {label}
          </View>
        ))}
      </View>
      {error ? (
        <ErrorState description={error} onRetry={load} />
      ) : !items ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="没有申请" />
      ) : (
        items.map((a) => (
          <ApplicationCard
            key={a.id}
            a={a}
            circle={circles.find((c) => c.id === a.circleId)?.name ?? ''}
            onDecided={(next) => setItems((all) => (all ?? []).filter((x) => x.id !== next.id))}
          />
        ))
      )}
    </View>
  );
}

function ApplicationCard({ a, circle, onDecided }: { a: ApplicationView; circle: string; onDecided: (a: ApplicationView) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(decision: 'approve' | 'decline') {
    const c = check(decideApplicationBodySchema, { decision, ...(reason.trim() ? { reason } : {}) });
    if (!c.ok) return setError(c.message);
    setError(null);
    setBusy(true);
    try {
      const { application } = await deskApi.decide(a.id, c.value);
      void Taro.showToast({ title: decision === 'approve' ? '已通过' : '已拒绝', icon: 'success' });
      onDecided(application);
    } catch (err) {
      setError(isApiError(err) ? err.message : '操作失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="nr-card" data-testid="nr-application">
      <View className="nr-text" style={{ fontWeight: 600 }}>
        {a.realName} · {a.phone}
      </View>
      <View className="nr-hint">
        {circle} · {a.district} · {a.system} · {a.domain} · {formatShanghai(a.createdAt)}
      </View>
      <View className="nr-text">{a.intro}</View>
      <View className="nr-label">作品</View>
      {a.samples.map((s, i) => (
        <View key={i} className="nr-hint">
          {i + 1}. {s}
        </View>
      ))}
      {a.state === 'pending' ? (
        <>
          <Input className="nr-input" placeholder="拒绝理由（拒绝时必填）" value={reason} onInput={(e) => setReason(e.detail.value)} />
          {error ? <View className="nr-error">{error}</View> : null}
          <View className="nr-row">
            <Button size="mini" type="primary" disabled={busy} data-testid="nr-application-approve" onClick={() => void decide('approve')}>
              通过
            </Button>
            <Button size="mini" disabled={busy} data-testid="nr-application-decline" onClick={() => void decide('decline')}>
              拒绝
            </Button>
          </View>
        </>
      ) : (
        <View className="nr-hint">
          {a.state === 'approved' ? '已通过' : `未通过：${a.reason ?? ''}`}
          {a.decidedAt ? ` · ${formatShanghai(a.decidedAt)}` : ''}
        </View>
      )}
    </View>
  );
}

export default withCareMode(ApplicationsPage);
