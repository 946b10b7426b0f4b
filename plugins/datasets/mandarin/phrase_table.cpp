// Readings of common words whose characters have several readings (多音字), and a few single characters
// whose Unihan kMandarin value is not the everyday reading. Written for this project from standard
// dictionary readings; tone sandhi is NOT applied except where dictionaries list the word that way (一个).
#include "phrase_table.h"

namespace voxclone::mandarin {

// A table with several entries per line:
// clang-format off
// Longest match wins (forward maximum matching), so "朝阳区" beats "朝阳" and "东西南北" beats "东西".
const PhraseEntry kPhrases[] = {
    // 行 háng / xíng
    {"银行", "yin2 hang2"}, {"行业", "hang2 ye4"}, {"行长", "hang2 zhang3"}, {"行列", "hang2 lie4"},
    {"排行", "pai2 hang2"}, {"排行榜", "pai2 hang2 bang3"}, {"内行", "nei4 hang2"}, {"外行", "wai4 hang2"},
    {"行情", "hang2 qing2"}, {"各行各业", "ge4 hang2 ge4 ye4"}, {"同行业", "tong2 hang2 ye4"},
    {"行家", "hang2 jia1"}, {"商行", "shang1 hang2"}, {"车行", "che1 hang2"}, {"投行", "tou2 hang2"},
    // 长 cháng / zhǎng (kMandarin: zhǎng)
    {"长城", "chang2 cheng2"}, {"长度", "chang2 du4"}, {"长期", "chang2 qi1"}, {"长江", "chang2 jiang1"},
    {"长途", "chang2 tu2"}, {"长久", "chang2 jiu3"}, {"长短", "chang2 duan3"}, {"长远", "chang2 yuan3"},
    {"长篇", "chang2 pian1"}, {"长沙", "chang2 sha1"}, {"长安", "chang2 an1"}, {"长寿", "chang2 shou4"},
    {"长春", "chang2 chun1"}, {"擅长", "shan4 chang2"}, {"特长", "te4 chang2"}, {"延长", "yan2 chang2"},
    {"漫长", "man4 chang2"}, {"全长", "quan2 chang2"}, {"长跑", "chang2 pao3"}, {"长处", "chang2 chu4"},
    {"长时间", "chang2 shi2 jian1"}, {"很长", "hen3 chang2"}, {"太长", "tai4 chang2"}, {"长方形", "chang2 fang1 xing2"},
    {"长裤", "chang2 ku4"}, {"长头发", "chang2 tou2 fa5"}, {"细长", "xi4 chang2"}, {"长廊", "chang2 lang2"},
    // 重 zhòng / chóng
    {"重新", "chong2 xin1"}, {"重庆", "chong2 qing4"}, {"重复", "chong2 fu4"}, {"重阳", "chong2 yang2"},
    {"重叠", "chong2 die2"}, {"重逢", "chong2 feng2"}, {"重来", "chong2 lai2"}, {"重建", "chong2 jian4"},
    {"重播", "chong2 bo1"}, {"重申", "chong2 shen1"}, {"重写", "chong2 xie3"}, {"重做", "chong2 zuo4"},
    {"重启", "chong2 qi3"}, {"重置", "chong2 zhi4"}, {"重组", "chong2 zu3"}, {"重演", "chong2 yan3"},
    {"重要", "zhong4 yao4"}, {"重量", "zhong4 liang4"}, {"重点", "zhong4 dian3"}, {"严重", "yan2 zhong4"},
    // 还 hái / huán
    {"还是", "hai2 shi4"}, {"还有", "hai2 you3"}, {"还要", "hai2 yao4"}, {"还在", "hai2 zai4"},
    {"还钱", "huan2 qian2"}, {"还嘴", "huan2 zui3"}, {"归还", "gui1 huan2"}, {"还原", "huan2 yuan2"},
    {"偿还", "chang2 huan2"}, {"还款", "huan2 kuan3"}, {"还书", "huan2 shu1"}, {"还给", "huan2 gei3"},
    {"退还", "tui4 huan2"}, {"还击", "huan2 ji1"}, {"还价", "huan2 jia4"}, {"讨价还价", "tao3 jia4 huan2 jia4"},
    // 乐 lè / yuè
    {"音乐", "yin1 yue4"}, {"乐器", "yue4 qi4"}, {"乐队", "yue4 dui4"}, {"乐曲", "yue4 qu3"},
    {"乐团", "yue4 tuan2"}, {"声乐", "sheng1 yue4"}, {"器乐", "qi4 yue4"}, {"乐谱", "yue4 pu3"},
    {"乐章", "yue4 zhang1"}, {"乐手", "yue4 shou3"}, {"音乐会", "yin1 yue4 hui4"},
    // 朝 cháo / zhāo
    {"朝阳", "zhao1 yang2"}, {"朝阳区", "chao2 yang2 qu1"}, {"朝气", "zhao1 qi4"}, {"朝霞", "zhao1 xia2"},
    {"今朝", "jin1 zhao1"}, {"朝夕", "zhao1 xi1"}, {"朝三暮四", "zhao1 san1 mu4 si4"},
    // 一: words dictionaries list with the changed tone
    {"一个", "yi2 ge4"}, {"一样", "yi2 yang4"}, {"一定", "yi2 ding4"}, {"一切", "yi2 qie4"},
    {"一共", "yi2 gong4"}, {"一半", "yi2 ban4"}, {"一旦", "yi2 dan4"}, {"一致", "yi2 zhi4"},
    {"一向", "yi2 xiang4"}, {"一再", "yi2 zai4"}, {"一律", "yi2 lv4"}, {"一起", "yi4 qi3"},
    {"一直", "yi4 zhi2"}, {"一般", "yi4 ban1"}, {"一些", "yi4 xie1"}, {"一边", "yi4 bian1"},
    {"一同", "yi4 tong2"}, {"一齐", "yi4 qi2"}, {"一生", "yi4 sheng1"},
    // 不: words dictionaries list with bú
    {"不是", "bu2 shi4"}, {"不要", "bu2 yao4"}, {"不会", "bu2 hui4"}, {"不用", "bu2 yong4"},
    {"不过", "bu2 guo4"}, {"不但", "bu2 dan4"}, {"不必", "bu2 bi4"}, {"不对", "bu2 dui4"},
    {"不论", "bu2 lun4"}, {"不断", "bu2 duan4"}, {"不错", "bu2 cuo4"}, {"不够", "bu2 gou4"},
    {"不客气", "bu2 ke4 qi5"}, {"对不起", "dui4 bu5 qi3"}, {"了不起", "liao3 bu5 qi3"},
    {"受不了", "shou4 bu5 liao3"}, {"差不多", "cha4 bu5 duo1"},
    // 得 de / dé, 觉 jué / jiào
    {"觉得", "jue2 de5"}, {"记得", "ji4 de5"}, {"懂得", "dong3 de5"}, {"值得", "zhi2 de5"},
    {"显得", "xian3 de5"}, {"晓得", "xiao3 de5"}, {"舍得", "she3 de5"}, {"认得", "ren4 de5"},
    {"睡觉", "shui4 jiao4"}, {"午觉", "wu3 jiao4"}, {"一觉", "yi2 jiao4"},
    // 大 dài, 只 zhī (measure word), 为 wéi
    {"大夫", "dai4 fu1"}, {"大王", "dai4 wang5"},
    {"一只", "yi1 zhi1"}, {"两只", "liang3 zhi1"}, {"几只", "ji3 zhi1"}, {"这只", "zhe4 zhi1"},
    {"那只", "na4 zhi1"}, {"每只", "mei3 zhi1"}, {"船只", "chuan2 zhi1"},
    {"作为", "zuo4 wei2"}, {"成为", "cheng2 wei2"}, {"认为", "ren4 wei2"}, {"以为", "yi3 wei2"},
    {"行为", "xing2 wei2"}, {"称为", "cheng1 wei2"}, {"为止", "wei2 zhi3"}, {"为难", "wei2 nan2"},
    {"为主", "wei2 zhu3"}, {"变为", "bian4 wei2"}, {"视为", "shi4 wei2"}, {"分为", "fen1 wei2"},
    {"成为了", "cheng2 wei2 le5"},
    // 了 liǎo, 着 zháo / zhuó
    {"了解", "liao3 jie3"}, {"了结", "liao3 jie2"}, {"明了", "ming2 liao3"}, {"不了了之", "bu4 liao3 liao3 zhi1"},
    {"着急", "zhao2 ji2"}, {"睡着", "shui4 zhao2"}, {"着火", "zhao2 huo3"}, {"着凉", "zhao2 liang2"},
    {"着陆", "zhuo2 lu4"}, {"着想", "zhuo2 xiang3"}, {"着手", "zhuo2 shou3"}, {"着重", "zhuo2 zhong4"},
    {"衣着", "yi1 zhuo2"}, {"执着", "zhi2 zhuo2"},
    // 地 (single reading set to dì below)
    {"似的", "shi4 de5"},
    // 子: kMandarin gives the neutral tone; words where it is zǐ
    {"子弹", "zi3 dan4"}, {"子女", "zi3 nv3"}, {"孔子", "kong3 zi3"}, {"孙子", "sun1 zi5"},
    {"电子", "dian4 zi3"}, {"原子", "yuan2 zi3"}, {"分子", "fen1 zi3"}, {"种子", "zhong3 zi5"},
    {"君子", "jun1 zi3"}, {"男子", "nan2 zi3"}, {"女子", "nv3 zi3"}, {"独生子女", "du2 sheng1 zi3 nv3"},
    // 差 chā / chà / chāi / cī
    {"出差", "chu1 chai1"}, {"差别", "cha1 bie2"}, {"参差", "cen1 ci1"}, {"差点", "cha4 dian3"},
    {"差异", "cha1 yi4"}, {"误差", "wu4 cha1"}, {"差距", "cha1 ju4"}, {"偏差", "pian1 cha1"},
    // assorted 多音字 words
    {"便宜", "pian2 yi5"}, {"传记", "zhuan4 ji4"}, {"自传", "zi4 zhuan4"}, {"水浒传", "shui3 hu3 zhuan4"},
    {"种地", "zhong4 di4"}, {"种植", "zhong4 zhi2"}, {"种田", "zhong4 tian2"},
    {"首都", "shou3 du1"}, {"都市", "du1 shi4"}, {"成都", "cheng2 du1"}, {"京都", "jing1 du1"},
    {"调查", "diao4 cha2"}, {"声调", "sheng1 diao4"}, {"调整", "tiao2 zheng3"}, {"空调", "kong1 tiao2"},
    {"调节", "tiao2 jie2"}, {"协调", "xie2 tiao2"}, {"调皮", "tiao2 pi2"},
    {"商量", "shang1 liang5"}, {"处理", "chu3 li3"}, {"处于", "chu3 yu2"}, {"相处", "xiang1 chu3"},
    {"处分", "chu3 fen4"}, {"少年", "shao4 nian2"}, {"少女", "shao4 nv3"}, {"教书", "jiao1 shu1"},
    {"人参", "ren2 shen1"}, {"相声", "xiang4 sheng5"}, {"照相", "zhao4 xiang4"}, {"相机", "xiang4 ji1"},
    {"首相", "shou3 xiang4"}, {"真相", "zhen1 xiang4"}, {"看守", "kan1 shou3"}, {"答应", "da1 ying5"},
    {"应用", "ying4 yong4"}, {"反应", "fan3 ying4"}, {"适应", "shi4 ying4"}, {"回应", "hui2 ying4"},
    {"头发", "tou2 fa5"}, {"理发", "li3 fa4"}, {"放假", "fang4 jia4"}, {"假期", "jia4 qi1"},
    {"暑假", "shu3 jia4"}, {"寒假", "han2 jia4"}, {"请假", "qing3 jia4"}, {"休假", "xiu1 jia4"},
    {"角色", "jue2 se4"}, {"主角", "zhu3 jue2"}, {"配角", "pei4 jue2"}, {"歌曲", "ge1 qu3"},
    {"曲子", "qu3 zi5"}, {"作曲", "zuo4 qu3"}, {"模样", "mu2 yang4"}, {"模板", "mu2 ban3"},
    {"暖和", "nuan3 huo5"}, {"干净", "gan1 jing4"}, {"干燥", "gan1 zao4"}, {"饼干", "bing3 gan1"},
    {"西藏", "xi1 zang4"}, {"宝藏", "bao3 zang4"}, {"弹琴", "tan2 qin2"}, {"弹奏", "tan2 zou4"},
    {"弹性", "tan2 xing4"}, {"效率", "xiao4 lv4"}, {"率领", "shuai4 ling3"}, {"尽量", "jin3 liang4"},
    {"尽力", "jin4 li4"}, {"恶心", "e3 xin1"}, {"可恶", "ke3 wu4"}, {"厌恶", "yan4 wu4"},
    {"下载", "xia4 zai3"}, {"记载", "ji4 zai3"}, {"供给", "gong1 ji3"}, {"给予", "ji3 yu3"},
    {"提供", "ti2 gong1"}, {"反省", "fan3 xing3"}, {"高兴", "gao1 xing4"}, {"兴趣", "xing4 qu4"},
    {"兴致", "xing4 zhi4"}, {"即兴", "ji2 xing4"}, {"扫兴", "sao3 xing4"}, {"有空", "you3 kong4"},
    {"空闲", "kong4 xian2"}, {"几乎", "ji1 hu1"}, {"茶几", "cha2 ji1"}, {"灾难", "zai1 nan4"},
    {"难民", "nan4 min2"}, {"当作", "dang4 zuo4"}, {"上当", "shang4 dang4"}, {"适当", "shi4 dang4"},
    {"恰当", "qia4 dang4"}, {"中奖", "zhong4 jiang3"}, {"打中", "da3 zhong4"}, {"命中", "ming4 zhong4"},
    {"正月", "zheng1 yue4"}, {"奇数", "ji1 shu4"}, {"会计", "kuai4 ji4"}, {"对称", "dui4 chen4"},
    {"称心", "chen4 xin1"}, {"背包", "bei1 bao1"}, {"漂亮", "piao4 liang5"}, {"结实", "jie1 shi5"},
    {"挣扎", "zheng1 zha2"}, {"宁可", "ning4 ke3"}, {"宁愿", "ning4 yuan4"}, {"关卡", "guan1 qia3"},
    {"投降", "tou2 xiang2"}, {"将军", "jiang1 jun1"}, {"孩子", "hai2 zi5"}, {"东西", "dong1 xi5"},
    {"东西南北", "dong1 xi1 nan2 bei3"}, {"明白", "ming2 bai5"}, {"时候", "shi2 hou5"},
    {"先生", "xian1 sheng5"}, {"朋友", "peng2 you5"}, {"导航", "dao3 hang2"}, {"什么", "shen2 me5"},
    {"折腾", "zhe1 teng5"}, {"薄荷", "bo4 he5"}, {"数落", "shu3 luo5"}, {"数一数", "shu3 yi1 shu3"},
    {"哪里", "na3 li3"}, {"那里", "na4 li3"}, {"这里", "zhe4 li3"},
};
// clang-format on
const size_t kPhraseCount = sizeof(kPhrases) / sizeof(kPhrases[0]);

// Characters whose first kMandarin value is not the reading a dictionary gives first.
const PhraseEntry kCharacterReadings[] = {
    {"地", "di4"}, {"似", "si4"}, {"兴", "xing1"}, {"漂", "piao1"}, {"绩", "ji4"}, {"〇", "ling2"},
};
const size_t kCharacterReadingCount = sizeof(kCharacterReadings) / sizeof(kCharacterReadings[0]);

}  // namespace voxclone::mandarin
