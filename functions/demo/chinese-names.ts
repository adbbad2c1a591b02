import type { SeededRandom } from './seeded-random.js';

/**
 * Name pools for the demo bank. Common surnames first so that the draw looks like a real
 * customer list (many 王, 李, 张), given names of one or two characters.
 */

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '欧阳', '司马', '诸葛',
] as const;

const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '玉', '兰', '建', '国', '志', '文', '海', '晨', '欣', '怡', '宇', '浩', '然', '佳', '慧', '琳',
  '鹏', '博', '晓', '嘉', '俊', '思', '雨', '婷', '子', '轩', '梓', '涵', '一', '诺', '昊', '天', '瑞', '泽', '雪', '梅',
] as const;

export const BRANCH_NAMES = ['城东支行', '城西支行', '城南支行', '城北支行', '高新区支行', '滨江支行', '开发区支行', '新城支行'] as const;

export function drawPersonName(random: SeededRandom): string {
  const surname = random.pick(SURNAMES);
  const given = random.chance(0.7) ? random.pick(GIVEN) + random.pick(GIVEN) : random.pick(GIVEN);
  return surname + given;
}
