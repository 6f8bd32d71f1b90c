/** Real regions of Henan (41) used across tests. */
export const regions = {
  province: '410000000000', // 河南省
  kaifeng: '410200000000', // 开封市
  lankao: '410225000000', // 兰考县
  guyang: '410225101000', // 兰考县堌阳镇
  chengnei: '410225101200', // 堌阳镇城内村
  renzhuang: '410225101201', // 堌阳镇任庄村
  nanzhang: '410225102000', // 兰考县南彰镇
  zhengzhou: '410100000000', // 郑州市
  zhongmou: '410122000000', // 中牟县
  hansi: '410122101000', // 中牟县韩寺镇
  rongzhuang: '410122101205', // 韩寺镇荣庄村委会
} as const;

export const testPassword = 'Test#Passw0rd';
