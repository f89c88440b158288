export default definePageConfig({ navigationBarTitleText: '可疑投票' });
