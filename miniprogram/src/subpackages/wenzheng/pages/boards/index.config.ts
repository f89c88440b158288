export default definePageConfig({ navigationBarTitleText: '部门问政榜单' });
