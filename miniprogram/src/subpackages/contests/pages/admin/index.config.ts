export default definePageConfig({ navigationBarTitleText: '专题与比赛管理' });
