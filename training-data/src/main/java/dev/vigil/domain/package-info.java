/** Domain facts shared by the simulator, the dataset formats, the model and the runtime. */
package dev.vigil.domain;
