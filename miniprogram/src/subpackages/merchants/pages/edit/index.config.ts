export default definePageConfig({ navigationBarTitleText: '修改店铺资料' });
