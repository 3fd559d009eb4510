'use strict';
/** The node's catalog JSON (single source of truth) plus lookup helpers. */
const dir = '../../nodes/Sivi/catalog/';
const imageModels = require(`${dir}imageModels.json`);
const imageSizes = require(`${dir}imageSizes.json`);
const designModels = require(`${dir}designModels.json`);
const designTypes = require(`${dir}designTypes.json`);
const languages = require(`${dir}languages.json`);
const contentBlocks = require(`${dir}contentBlocks.json`);
const designSettings = require(`${dir}designSettings.json`);
const limits = require(`${dir}limits.json`);

const imageModelByValue = new Map(imageModels.map((m) => [m.value, m]));
const designModelByValue = new Map(designModels.map((m) => [m.value, m]));
const designModelValues = new Set(designModels.map((m) => m.value));
const languageSet = new Set(languages);

/** type -> Map(subtype -> {width, height}) (custom: no size). */
const subtypesByType = new Map(
	designTypes.map((t) => [t.value, new Map(t.subtypes.map((s) => [s.value, s]))]),
);

module.exports = {
	imageModels,
	imageSizes,
	designModels,
	designTypes,
	languages,
	contentBlocks,
	designSettings,
	limits,
	imageModelByValue,
	designModelByValue,
	designModelValues,
	languageSet,
	subtypesByType,
};
