import { circleLeaderBodySchema, createCircleBodySchema, updateCircleBodySchema, type CircleView } from '@shared/schemas/newsroom';
import { createTeamBodySchema, teamLeaderBodySchema, updateTeamBodySchema, type TeamView } from '@shared/schemas/volunteers';
import { Form, Input } from 'antd';
import { noteColumn } from '../components/columns';
import { UnitsCard } from '../components/units-card';

// The two kinds of groups an admin sets up: correspondents' circles and volunteer teams. Each is a UnitsCard.

const trimmed = (v: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(v)
      .map(([k, x]) => [k, typeof x === 'string' ? x.trim() : x])
      .filter(([, x]) => x !== undefined),
  );

export function CirclesPage() {
  return (
    <UnitsCard<CircleView, { name?: string; description?: string }>
      title="圈层管理 · 通讯员圈子"
      noun="圈子"
      leaderTitle="圈长"
      path="/circles"
      paged
      createSchema={createCircleBodySchema}
      updateSchema={updateCircleBodySchema}
      fields={['name', 'description']}
      toBody={(v) => trimmed({ name: v.name ?? '', description: v.description ?? '' })}
      leader={{ role: 'circle_leader', scope: 'circle', schema: circleLeaderBodySchema, canDismiss: true }}
      columns={[noteColumn('简介', 'description')]}
      formItems={
        <>
          <Form.Item name="name" label="圈子名称">
            <Input maxLength={30} showCount placeholder="如 城关镇通讯员圈" />
          </Form.Item>
          <Form.Item name="description" label="圈子简介">
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </>
      }
    />
  );
}

export function VolunteerTeamsPage() {
  return (
    <UnitsCard<TeamView, { name?: string; area?: string; description?: string }>
      title="志愿团队"
      noun="队伍"
      leaderTitle="队长"
      path="/volunteers/teams"
      paged
      createSchema={createTeamBodySchema}
      updateSchema={updateTeamBodySchema}
      fields={['name', 'area', 'description']}
      toBody={(v) => trimmed({ name: v.name ?? '', area: v.area ?? '', description: v.description ?? '' })}
      leader={{ role: 'team_leader', scope: 'team', schema: teamLeaderBodySchema, canDismiss: true, dismissVerb: '撤销' }}
      columns={[{ title: '区域', dataIndex: 'area', width: 110 }, noteColumn('简介', 'description')]}
      formItems={
        <>
          <Form.Item name="name" label="队伍名称">
            <Input maxLength={40} showCount placeholder="如 城关镇青年志愿服务队" />
          </Form.Item>
          <Form.Item name="area" label="所在区域">
            <Input maxLength={40} placeholder="如 城关镇" />
          </Form.Item>
          <Form.Item name="description" label="队伍简介">
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
        </>
      }
    />
  );
}
